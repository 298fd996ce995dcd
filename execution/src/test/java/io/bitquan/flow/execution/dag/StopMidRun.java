package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.vm.TransactionVm;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The stop gate the scheduled-run tests share: a stop raised while transaction {@code stopAt}
 * runs must end every worker (the pool's run returns) before the whole block has executed, at
 * each worker count. Each test supplies the run it builds over the stopping VM.
 */
final class StopMidRun {

    /** A run under test: its work, and how many executions it made. */
    record Run(WorkerPool.Job work, LongSupplier executions) {
    }

    interface RunFactory {
        Run start(TransactionVm stopping, WorkerPool pool, int workers);
    }

    private StopMidRun() {
    }

    static void assertEndsEveryWorker(BlockFixtures b, TransactionVm vm, int stopAt, int[] workerCounts, RunFactory runs) {
        Object stopTx = b.txs().get(stopAt);
        for (int workers : workerCounts) {
            AtomicReference<WorkerPool.Stop> stop = new AtomicReference<>();
            TransactionVm stopping = (tx, block, state) -> {
                if (tx == stopTx) {
                    stop.get().raise();
                }
                return vm.execute(tx, block, state);
            };
            try (WorkerPool pool = new WorkerPool(workers)) {
                Run run = runs.start(stopping, pool, workers);
                pool.run(workers, (worker, s) -> {
                    stop.compareAndSet(null, s);
                    run.work().run(worker, s);
                });
                // every worker returned (pool.run came back); fewer ran than the block holds
                assertThat(run.executions().getAsLong()).as("x%d", workers).isLessThan(b.txs().size());
            }
        }
    }
}
