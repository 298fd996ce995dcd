package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The schedule's write set is sorted during the run, by the linker as soon as it linked the
 * last transaction, from the keys the block may write; the collect phase only filters it by what
 * was written. The order and the writes must be the sequential engine's at every worker count,
 * a declared write the transaction does not make must not appear, and a run voided by a
 * misprediction (whose early order lacks the unpredicted key) must leave no trace in the result.
 */
class EarlySortedWriteSetTest {
    private static final int[] WORKERS = {1, 2, 3, 8, 16};
    private final ChainVm vm = new ChainVm();

    @Test
    void utxoAndMixedBlocksGiveTheSequentialWriteSetAtEveryWorkerCount() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(71, 1, 600, Workload.UTXO),
                GeneratorOptions.of(72, 1, 600, Workload.MIXED).withAccounts(200)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            assertThat(expected.accepted()).isTrue();
            for (int workers : WORKERS) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    for (int rep = 0; rep < 3; rep++) {
                        String what = options.workload().id() + " x" + workers + " rep " + rep;
                        AccessDag dag = AccessDag.predict(b.txs(), pool, workers);
                        assertThat(dag).as(what).isNotNull();
                        DagRun run = new DagRun(dag, b.context(), b.txs(), b.base(), vm, workers);
                        pool.run(workers, run::work);
                        assertThat(run.mispredicted()).as(what).isFalse();
                        // the order the linker sorted during the run: native transactions write
                        // every key they predict, so it is the sequential write set's key order
                        List<StateKey> early = new ArrayList<>();
                        for (int i = 0; i < dag.writableCount(); i++) {
                            early.add(dag.keys.key(dag.writable[i]));
                        }
                        assertThat(early).as(what).containsExactlyElementsOf(keys(expected.writes()));
                        OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                    }
                }
            }
        }
    }

    @Test
    void aDeclaredWriteNotMadeIsNoWrite() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(73, 1, 300, Workload.UTXO));
        List<PreparedTx> txs = b.txs().subList(1, b.txs().size()); // no coinbase: no claim check
        Map<PreparedTx, Integer> position = new IdentityHashMap<>();
        for (int i = 0; i < txs.size(); i++) {
            position.put(txs.get(i), i);
        }
        StateKey hot = account(0, 0);
        // every transaction declares a write of the hot key and of its own key; only every third
        // writes its own key, and only every seventh the hot one
        TransactionVm declaresMore = (tx, block, state) -> {
            int p = position.get(tx);
            AccountState h = AccountRules.read(state, hot);
            if (p % 7 == 0) {
                state.write(hot, new AccountState(h.balance() + p, h.nonce() + 1));
            }
            if (p % 3 == 0) {
                state.write(account(1, p), new AccountState(h.balance(), p));
            }
            return TxOutcome.ok(0);
        };
        AccessDag.Prediction[] predicted = new AccessDag.Prediction[txs.size()];
        for (int p = 0; p < txs.size(); p++) {
            predicted[p] = new AccessDag.Prediction(new StateKey[] {account(1, p), hot}, new boolean[] {true, true});
        }
        BlockOutput expected = new SequentialEngine(declaresMore).execute(b.context(), txs, b.base());
        assertThat(expected.writes()).hasSize(1 + (txs.size() + 2) / 3);
        for (int workers : WORKERS) {
            try (WorkerPool pool = new WorkerPool(workers)) {
                DagRun run = new DagRun(AccessDag.of(predicted), b.context(), txs, b.base(), declaresMore, workers);
                pool.run(workers, run::work);
                OutputAssertions.assertSameResult(run.collect(pool, workers), expected, "x" + workers);
            }
        }
    }

    @Test
    void aMispredictedBlockThrowsItsEarlyOrderAway() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(74, 1, 600, Workload.UTXO));
        PreparedTx last = b.txs().get(b.txs().size() - 1);
        StateKey outside = account(2, 0);
        // the chain's VM, except that the last transaction also credits a key nobody predicted:
        // linked and sorted without that key, the scheduled run must be discarded
        TransactionVm vmWithStray = (tx, block, state) -> {
            TxOutcome outcome = vm.execute(tx, block, state);
            if (tx == last) {
                AccountState o = AccountRules.read(state, outside);
                state.write(outside, new AccountState(o.balance() + 1, o.nonce()));
            }
            return outcome;
        };
        BlockOutput expected = new SequentialEngine(vmWithStray).execute(b.context(), b.txs(), b.base());
        assertThat(keys(expected.writes())).contains(outside);
        for (int workers : WORKERS) {
            try (WorkerPool pool = new WorkerPool(workers)) {
                AccessDag dag = AccessDag.predict(b.txs(), pool, workers);
                DagRun run = new DagRun(dag, b.context(), b.txs(), b.base(), vmWithStray, workers);
                pool.run(workers, run::work);
                assertThat(run.mispredicted()).as("x%d", workers).isTrue();
                assertThatThrownBy(() -> run.collect(pool, workers)).isInstanceOf(IllegalStateException.class);
            }
            // the engine then runs the block optimistically: the sequential result, stray key included
            try (BlockStmEngine engine = new BlockStmEngine(vmWithStray,
                    BlockStmOptions.strict(workers, false).withPredictedSchedule(true))) {
                OutputAssertions.assertSameResult(engine.execute(b.context(), b.txs(), b.base()), expected, "engine x" + workers);
            }
        }
    }

    private static List<StateKey> keys(List<StateWrite> writes) {
        List<StateKey> keys = new ArrayList<>();
        for (StateWrite w : writes) {
            keys.add(w.key());
        }
        return keys;
    }

    private static StateKey account(int kind, int position) {
        byte[] a = new byte[32];
        a[0] = (byte) (0x40 + kind);
        a[1] = (byte) (position >>> 8);
        a[2] = (byte) position;
        return StateKey.account(a);
    }
}
