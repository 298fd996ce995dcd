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

    /**
     * Any one worker can run the whole block alone (round 13): the worker that finishes the last
     * prediction chunk builds and links the graph, so a worker whose partners the OS has not
     * scheduled yet never waits for them. Here worker 1 (then worker 2) runs its part to the end
     * before worker 0 has started: it predicts every chunk, links, runs every transaction; the
     * late workers then find the block done. Until round 13 worker 0 alone built the graph and
     * worker 1 would have waited for it forever (so it runs on a thread that must have ended).
     */
    @Test
    void aWorkerAloneRunsTheWholeBlockBeforeTheOthersStart() throws Exception {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(85, 1, 700, Workload.MIXED).withAccounts(100));
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
        for (int workers : new int[] {2, 3}) {
            PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), vm, workers);
            WorkerPool.Stop stop = new WorkerPool.Stop();
            for (int late = workers - 1; late >= 0; late--) {
                int worker = late;
                Thread alone = new Thread(() -> run.work(worker, stop));
                alone.start();
                alone.join(60_000);
                assertThat(alone.isAlive()).as("worker %d of %d alone did not finish", worker, workers).isFalse();
                if (worker == workers - 1) {
                    assertThat(run.executions()).as("x%d: the first worker ran every transaction", workers).isEqualTo(b.txs().size());
                }
            }
            assertThat(run.mispredicted()).isFalse();
            assertThat(run.executions()).isEqualTo(b.txs().size());
            try (WorkerPool pool = new WorkerPool(workers)) {
                OutputAssertions.assertSameResult(run.collect(pool, workers), expected, "alone x" + workers);
            }
        }
    }
}
