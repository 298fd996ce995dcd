package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The predicted access graph's shape on blocks whose structure the generator documents, read in its
 * predecessor lists; {@link CursorLayoutTest} checks those lists against the rule they follow.
 */
class AccessDagTest {

    @Test
    void independentSpendsHaveNoEdges() {
        List<PreparedTx> txs = BlockFixtures.firstBlock(GeneratorOptions.of(1, 1, 300, Workload.UTXO)).txs();
        AccessDag dag = AccessDag.build(txs, 1);
        assertThat(dag).isNotNull();
        assertThat(dag.criticalPath()).isEqualTo(1);
        for (int t = 0; t < txs.size(); t++) {
            assertThat(CursorLayoutTest.predecessors(dag, t)).as("nothing to wait for").isEmpty();
        }
        assertThat(dag.parallelism()).isEqualTo(txs.size());
        assertThat(dag.linked()).as("every transaction linked").isEqualTo(txs.size());
    }

    @Test
    void twoAccountsMakeOneChainThroughEveryTransfer() {
        List<PreparedTx> txs = BlockFixtures.firstBlock(GeneratorOptions.of(2, 1, 300, Workload.TRANSFER).withAccounts(2)).txs();
        AccessDag dag = AccessDag.build(txs, 1);
        int transfers = txs.size() - 1; // the coinbase touches only its own outputs
        Coinbase coinbase = (Coinbase) txs.get(0).body();
        assertThat(dag.keyCount()).isEqualTo(2 + coinbase.getOutputs().size());
        assertThat(dag.criticalPath()).isEqualTo(transfers);
        // every transfer after the first follows the one before it on both accounts
        for (int t = 2; t < txs.size(); t++) {
            assertThat(CursorLayoutTest.predecessors(dag, t)).as("tx %d", t).containsExactly(t - 1, t - 1);
        }
    }

    @Test
    void chainedSpendsFollowTheirParents() {
        List<PreparedTx> txs = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 300, Workload.UTXO_CHAINED)).txs();
        AccessDag dag = AccessDag.build(txs, 1);
        assertThat(dag.criticalPath()).isBetween(2, 8);
        int linked = 0;
        for (int t = 0; t < txs.size(); t++) {
            for (int p : CursorLayoutTest.predecessors(dag, t)) {
                assertThat(p).as("a predecessor of tx %d", t).isLessThan(t);
                linked++;
            }
        }
        assertThat(linked).isPositive();
    }

    @Test
    void aTransactionWithoutACompletePredictionLeavesTheBlockUnscheduled() {
        List<PreparedTx> txs = new ArrayList<>(BlockFixtures.firstBlock(GeneratorOptions.of(4, 1, 50, Workload.UTXO)).txs());
        assertThat(AccessDag.build(txs)).isNotNull();
        txs.add(PreparedTx.of(txs.size(), deploy()));
        assertThat(AccessDag.build(txs)).isNull();
    }

    /**
     * Reads share, writes exclude: t0 writes K, t1 and t2 read it, t3 writes it, t4 reads it. The
     * readers wait for the writer before them only; the next writer waits for both readers and
     * the writer before them.
     */
    @Test
    void readersShareAKeyAndTheNextWriterWaitsForAllOfThem() {
        StateKey k = StateKey.account(new byte[32]);
        AccessDag dag = AccessDag.of(new AccessDag.Prediction[] {
            write(k), read(k), read(k), write(k), read(k)}, Shards.one());
        dag.link(5);
        assertThat(CursorLayoutTest.predecessors(dag, 0)).isEmpty();
        assertThat(CursorLayoutTest.predecessors(dag, 1)).containsExactly(0);
        assertThat(CursorLayoutTest.predecessors(dag, 2)).containsExactly(0);
        assertThat(CursorLayoutTest.predecessors(dag, 3)).containsExactly(0, 1, 2);
        assertThat(CursorLayoutTest.predecessors(dag, 4)).containsExactly(3);
        assertThat(dag.criticalPath()).isEqualTo(4);
        assertThat(dag.accessWrites).containsExactly(true, false, false, true, false);
    }

    static AccessDag.Prediction write(StateKey... keys) {
        boolean[] w = new boolean[keys.length];
        java.util.Arrays.fill(w, true);
        return new AccessDag.Prediction(keys, w);
    }

    static AccessDag.Prediction read(StateKey key) {
        return new AccessDag.Prediction(new StateKey[] {key}, new boolean[] {false});
    }

    /** Predictions made on the pool (large blocks) give the same graph as the single-threaded build. */
    @Test
    void parallelPredictionsGiveTheSameGraph() {
        List<PreparedTx> txs = new ArrayList<>(
                BlockFixtures.firstBlock(GeneratorOptions.of(5, 1, 3000, Workload.TRANSFER).withAccounts(300)).txs());
        AccessDag serial = AccessDag.build(txs, 1);
        try (WorkerPool pool = new WorkerPool(3)) {
            AccessDag parallel = AccessDag.predict(txs, pool, 3);
            parallel.link(txs.size());
            assertThat(parallel.accessStart).isEqualTo(serial.accessStart);
            assertThat(parallel.accessKey).isEqualTo(serial.accessKey);
            assertThat(parallel.predFrom).isEqualTo(serial.predFrom);
            assertThat(parallel.predTo).isEqualTo(serial.predTo);
            assertThat(parallel.nodeTx).isEqualTo(serial.nodeTx);
            txs.add(PreparedTx.of(txs.size(), deploy()));
            assertThat(AccessDag.predict(txs, pool, 3)).isNull();
        }
    }

    static Transaction deploy() {
        return new Transaction(ContractDeploy.newBuilder().setSender(bytes(32)).setPublicKey(bytes(32))
                .setCode(bytes(10)).setConstructorArgs(bytes(0)).setGasLimit(10).setFee(1).setNonce(0)
                .setSignature(bytes(64)).build());
    }

    private static ByteBuffer bytes(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }
}
