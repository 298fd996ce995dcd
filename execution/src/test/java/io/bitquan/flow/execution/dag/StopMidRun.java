package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.vm.TransactionVm;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The stop gate the scheduled-run tests share: a stop raised while transaction {@code stopAt}
 * runs must end every worker (the pool's run returns) before the whole block has executed, at
 * each worker count. Each test supplies the run it builds over the stopping VM.
 *
 * <p>The block's last quarter waits (bounded) for the stop before it executes (round 15): without
 * that, a worker descheduled just before raising the stop let the others run the whole rest of
 * the block on a loaded machine ({@code 801 < 801} failed once at load 30), which tested the
 * machine's timing, not the stop. With it, the transactions after the gate can only start once
 * the stop is raised, and each worker may finish at most the one it holds.
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
        int size = b.txs().size();
        Set<Object> gated = Collections.newSetFromMap(new IdentityHashMap<>());
        gated.addAll(b.txs().subList(Math.max(stopAt + 1, size - size / 4), size));
        for (int workers : workerCounts) {
            AtomicReference<WorkerPool.Stop> stop = new AtomicReference<>();
            CountDownLatch raised = new CountDownLatch(1);
            TransactionVm stopping = (tx, block, state) -> {
                if (tx == stopTx) {
                    stop.get().raise();
                    raised.countDown();
                } else if (gated.contains(tx)) {
                    awaitStop(raised);
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
                // at most one gated transaction per worker ran after the stop
                assertThat(run.executions().getAsLong()).as("x%d", workers).isLessThan(size - gated.size() + workers + 1L)
                        .isLessThan(size);
            }
        }
    }

    /** Holds a gated transaction until the stop is raised; bounded, so a run that never reaches the stop transaction still ends (and fails the count). */
    private static void awaitStop(CountDownLatch raised) {
        try {
            raised.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
