package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Shared reads on the schedule: one hot key K, every fifth transaction adds its position to it
 * (a writer), the others copy what they read of K into a key of their own (readers). Readers of
 * K run side by side, and each must see exactly the last write below it: the copies, the final
 * K and everything else equal sequential execution, at 1..16 workers with random yields, 200
 * times. A reader that writes K (predicted read-only) voids the run.
 */
class SharedReadsRunTest {
    private static final StateKey K = StateKey.account(new byte[32]);

    private static StateKey own(int position) {
        byte[] a = new byte[32];
        a[0] = 1;
        a[1] = (byte) (position >>> 8);
        a[2] = (byte) position;
        return StateKey.account(a);
    }

    private static boolean writer(int position) {
        return position % 5 == 0;
    }

    @Test
    void readersSeeTheLastWriteBelowThemAtEveryWorkerCount() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(31, 1, 400, Workload.UTXO));
        List<PreparedTx> txs = b.txs().subList(1, b.txs().size()); // no coinbase: no claim check
        java.util.Map<PreparedTx, Integer> position = new java.util.IdentityHashMap<>();
        for (int i = 0; i < txs.size(); i++) {
            position.put(txs.get(i), i);
        }
        TransactionVm vm = (tx, block, state) -> {
            int p = position.get(tx);
            maybeYield();
            AccountState k = AccountRules.read(state, K);
            maybeYield();
            if (writer(p)) {
                state.write(K, new AccountState(k.balance() + p, k.nonce() + 1));
            } else {
                state.write(own(p), new AccountState(k.balance(), k.nonce()));
            }
            return TxOutcome.ok(0);
        };
        AccessDag.Prediction[] predicted = new AccessDag.Prediction[txs.size()];
        for (int p = 0; p < txs.size(); p++) {
            predicted[p] = writer(p) ? AccessDagTest.write(K)
                    : new AccessDag.Prediction(new StateKey[] {K, own(p)}, new boolean[] {false, true});
        }
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), txs, b.base());
        for (int workers : new int[] {1, 2, 3, 8, 16}) {
            try (WorkerPool pool = new WorkerPool(workers)) {
                for (int rep = 0; rep < 200; rep++) {
                    AccessDag dag = AccessDag.of(predicted);
                    DagRun run = new DagRun(dag, b.context(), txs, b.base(), vm);
                    pool.run(workers, run::work);
                    assertThat(run.mispredicted()).isFalse();
                    BlockOutput out = run.collect(pool, workers);
                    assertThat(out.writes()).as("x%d rep %d", workers, rep).isEqualTo(expected.writes());
                    assertThat(out.outcomes()).isEqualTo(expected.outcomes());
                }
            }
        }
    }

    @Test
    void writingAKeyPredictedReadOnlyVoidsTheRun() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(32, 1, 50, Workload.UTXO));
        List<PreparedTx> txs = b.txs().subList(1, b.txs().size());
        TransactionVm writesK = (tx, block, state) -> {
            AccountState k = AccountRules.read(state, K);
            state.write(K, new AccountState(k.balance() + 1, k.nonce()));
            return TxOutcome.ok(0);
        };
        AccessDag.Prediction[] readOnly = new AccessDag.Prediction[txs.size()];
        for (int p = 0; p < txs.size(); p++) {
            readOnly[p] = AccessDagTest.read(K);
        }
        try (WorkerPool pool = new WorkerPool(2)) {
            DagRun run = new DagRun(AccessDag.of(readOnly), b.context(), txs, b.base(), writesK);
            pool.run(2, run::work);
            assertThat(run.mispredicted()).isTrue();
        }
    }

    private static void maybeYield() {
        if (ThreadLocalRandom.current().nextInt(8) == 0) {
            Thread.yield();
        }
    }
}
