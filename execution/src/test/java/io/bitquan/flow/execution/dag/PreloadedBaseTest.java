package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Base values read in the prediction pass (round 12): a transfer's prediction carries exactly
 * what the base holds for each of its keys (spends and coinbases are read in the run); the linker puts a value into a key's slot only when the
 * key is new (its first accessor), never over a slot the run may already have written; a run
 * over a transfer block then reads nothing from the base, and every native block gives the
 * sequential result at every worker count.
 */
class PreloadedBaseTest {
    private final ChainVm vm = new ChainVm();

    private static final GeneratorOptions[] NATIVE = {
        GeneratorOptions.of(121, 1, 300, Workload.TRANSFER).withAccounts(2),
        GeneratorOptions.of(122, 1, 600, Workload.TRANSFER).withAccounts(100),
        GeneratorOptions.of(123, 1, 400, Workload.UTXO),
        GeneratorOptions.of(124, 1, 500, Workload.UTXO_CHAINED),
        GeneratorOptions.of(125, 1, 700, Workload.MIXED).withAccounts(50)};

    @Test
    void aTransfersPredictionCarriesTheBaseValueOfEachOfItsKeys() {
        for (GeneratorOptions options : NATIVE) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            int present = 0;
            for (PreparedTx tx : b.txs()) {
                AccessDag.Prediction p = NativePrediction.of(tx, b.base(), new KeyHasher());
                assertThat(p).isNotNull();
                assertThat(NativePrediction.of(tx).base()).as("no base, nothing read").isNull();
                if (!(tx.body() instanceof AccountTransfer)) {
                    assertThat(p.base()).as("spends and coinbases are read in the run").isNull();
                    continue;
                }
                assertThat(p.base()).hasSameSizeAs(p.keys());
                for (int i = 0; i < p.keys().length; i++) {
                    StateValue expected = b.base().read(p.keys()[i]);
                    String what = options.workload().id() + " tx " + tx.index() + " key " + i;
                    if (expected == null) {
                        assertThat(p.base()[i]).as(what).isSameAs(AccessDag.ABSENT);
                    } else {
                        assertThat(p.base()[i]).as(what).isSameAs(expected);
                        present++;
                    }
                }
            }
            if (options.workload() != Workload.UTXO && options.workload() != Workload.UTXO_CHAINED) {
                assertThat(present).as(options.workload().id() + ": some keys exist before the block").isPositive();
            }
        }
    }

    /** tx0 reads and writes A and B; tx1 B and C; tx2 B again: only A, B (by tx0) and C (by tx1) are new. */
    @Test
    void theLinkerFillsOnlyANewKeysSlot() {
        StateKey a = account(1);
        StateKey b = account(2);
        StateKey c = account(3);
        AccountState baseA = new AccountState(10, 0);
        AccountState baseB = new AccountState(20, 0);
        AccountState staleB = new AccountState(21, 0);
        boolean[] two = {true, true};
        AccessDag dag = AccessDag.of(new AccessDag.Prediction[] {
            new AccessDag.Prediction(new StateKey[] {a, b}, two, 2, null, new Object[] {baseA, baseB}),
            new AccessDag.Prediction(new StateKey[] {b, c}, two, 2, null, new Object[] {staleB, AccessDag.ABSENT}),
            new AccessDag.Prediction(new StateKey[] {b}, new boolean[] {true}, 1, null, new Object[] {staleB})});
        dag.link(1);
        int idA = dag.accessKey[0];
        int idB = dag.accessKey[1];
        assertThat(dag.values[idA]).isSameAs(baseA);
        assertThat(dag.values[idB]).isSameAs(baseB);
        // B is the last key interned when tx1 is linked: a slot the run may have written by then
        AccountState written = new AccountState(5, 1);
        dag.values[idB] = written;
        dag.link(3);
        assertThat(dag.accessKey[2]).isEqualTo(idB);
        assertThat(dag.values[idB]).as("not overwritten by a later accessor's prediction").isSameAs(written);
        assertThat(dag.values[dag.accessKey[3]]).isSameAs(AccessDag.ABSENT);
        assertThat(dag.keyCount()).isEqualTo(3);
    }

    /** Every native block, transfers' values from the prediction and the rest read in the run: the sequential result. */
    @Test
    void aNativeRunOverTheBaseGivesTheSequentialResult() {
        for (GeneratorOptions options : NATIVE) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            List<PreparedTx> txs = b.txs();
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), txs, b.base());
            for (int workers : new int[] {1, 2, 3, 8, 16}) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    String what = options.workload().id() + " x" + workers;
                    PredictedRun run = new PredictedRun(b.context(), txs, b.base(), vm, workers);
                    pool.run(workers, run::work);
                    assertThat(run.mispredicted()).as(what).isFalse();
                    OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                }
            }
        }
    }

    /** A key first met by a transaction whose prediction read nothing keeps an unloaded slot: the run reads the base. */
    @Test
    void aKeyFirstMetWithoutABaseValueStaysUnloaded() {
        StateKey a = account(4);
        AccessDag dag = AccessDag.of(new AccessDag.Prediction[] {
            new AccessDag.Prediction(new StateKey[] {a}, new boolean[] {true}),
            new AccessDag.Prediction(new StateKey[] {a}, new boolean[] {true}, 1, null, new Object[] {new AccountState(7, 0)})});
        dag.link(2);
        assertThat(dag.values[dag.accessKey[0]]).isNull();
    }

    /**
     * Predicted with the base, then run over a base that fails on any account read (the
     * coinbase's outputs are read in the run): every account value the run needs came from the
     * prediction, and the result is the sequential one at every worker count.
     */
    @Test
    void aTransferRunReadsNoAccountFromTheBaseAndGivesTheSequentialResult() {
        for (GeneratorOptions options : new GeneratorOptions[] {NATIVE[0], NATIVE[1]}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            StateView poisoned = key -> key.kind() == StateKey.Kind.ACCOUNT
                    ? fail("the run read " + key + " from the base") : b.base().read(key);
            List<PreparedTx> txs = b.txs();
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), txs, b.base());
            for (int workers : new int[] {1, 2, 3, 8, 16}) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    String what = options.workload().id() + " x" + workers;
                    AccessDag.Prediction[] p = new AccessDag.Prediction[txs.size()];
                    assertThat(AccessDag.predict(txs, p, 0, txs.size(), b.base())).isTrue();
                    DagRun run = new DagRun(AccessDag.of(p), b.context(), txs, poisoned, vm, workers);
                    pool.run(workers, run::work);
                    assertThat(run.mispredicted()).as(what).isFalse();
                    OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                }
            }
        }
    }

    private static StateKey account(int b) {
        byte[] address = new byte[StateKey.ADDRESS_BYTES];
        address[31] = (byte) b;
        return StateKey.account(address);
    }
}
