package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.rules.PreparedTx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Predicting, linking and running in one pool job: the sequential result at every worker count
 * (blocks smaller and larger than one prediction chunk per worker), and a block with one
 * transaction that has no complete prediction (a deploy, last) runs nothing at all.
 */
class PredictedRunTest {
    private final ChainVm vm = new ChainVm();

    @Test
    void oneJobGivesTheSequentialResultAtEveryWorkerCount() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(81, 1, 40, Workload.UTXO),
                GeneratorOptions.of(82, 1, 700, Workload.MIXED).withAccounts(100),
                GeneratorOptions.of(83, 1, 500, Workload.UTXO_CHAINED)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            for (int workers : new int[] {1, 2, 3, 8, 16}) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    for (int rep = 0; rep < 2; rep++) {
                        String what = options.workload().id() + " x" + workers + " rep " + rep;
                        PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), vm, workers);
                        pool.run(workers, run::work);
                        assertThat(run.predicted()).as(what).isTrue();
                        assertThat(run.mispredicted()).as(what).isFalse();
                        assertThat(run.executions()).as(what).isEqualTo(b.txs().size());
                        assertThat(run.dag().txCount()).as(what).isEqualTo(b.txs().size());
                        OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                    }
                }
            }
        }
    }

    @Test
    void aBlockWithAnUnpredictableTransactionRunsNothing() {
        List<PreparedTx> txs = new ArrayList<>(BlockFixtures.firstBlock(GeneratorOptions.of(84, 1, 400, Workload.UTXO)).txs());
        txs.add(PreparedTx.of(txs.size(), AccessDagTest.deploy()));
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(84, 1, 400, Workload.UTXO));
        for (int workers : new int[] {1, 2, 3, 8, 16}) {
            try (WorkerPool pool = new WorkerPool(workers)) {
                PredictedRun run = new PredictedRun(b.context(), txs, b.base(), vm, workers);
                pool.run(workers, run::work);
                assertThat(run.predicted()).as("x%d", workers).isFalse();
                assertThat(run.mispredicted()).isTrue();
                assertThat(run.executions()).isZero();
            }
        }
    }
}
