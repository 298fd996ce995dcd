package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.twophase.TwoPhaseEngine;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Thread ownership: reuse, error propagation, interruption, and no thread left after close. */
class WorkerPoolTest {

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    @Test
    void poolIsReusedAcrossRunsAndLeavesNoThreadAfterClose() {
        WorkerPool pool = new WorkerPool(3);
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            pool.run(3, (w, stop) -> calls.incrementAndGet());
        }
        assertThat(calls.get()).isEqualTo(150);
        assertThat(liveThreads(pool.threadNamePrefix())).isEqualTo(2); // the caller is worker 0
        pool.close();
        assertThat(liveThreads(pool.threadNamePrefix())).isZero();
    }

    @Test
    void enginesLeaveNoThreadAfterClose() {
        BlockFixtures block = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 40, Workload.MIXED).withAccounts(5));
        BlockStmEngine stm = new BlockStmEngine(new ChainVm(), BlockStmOptions.strict(4, true));
        TwoPhaseEngine twoPhase = new TwoPhaseEngine(new ChainVm(), 4, false);
        stm.execute(block.context(), block.txs(), block.base());
        twoPhase.execute(block.context(), block.txs(), block.base());
        assertThat(liveThreads(WorkerPool.THREAD_PREFIX)).isGreaterThanOrEqualTo(6); // 3 + 3: callers are worker 0
        stm.close();
        twoPhase.close();
        assertThat(liveThreads(stm.threadNamePrefix())).isZero();
        assertThat(liveThreads(twoPhase.threadNamePrefix())).isZero();
    }

    /** The second field of this thread's schedstat, read afresh (-1 where there is none). */
    private static long schedstatWait() {
        try {
            return Long.parseLong(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/thread-self/schedstat"))
                    .trim().split(" ")[1]);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /**
     * The payoff log's run-queue clock (round 18) reads this thread's wait, the second field of
     * its schedstat, not its CPU time (the first): bracketed by two fresh reads of the file, while
     * this thread burns CPU in between so the two fields move apart.
     */
    @Test
    void theRunQueueClockReadsThisThreadsWait() {
        org.junit.jupiter.api.Assumptions.assumeTrue(schedstatWait() >= 0, "no /proc/thread-self/schedstat here");
        for (int round = 0; round < 20; round++) {
            long spin = System.nanoTime() + 2_000_000;
            while (System.nanoTime() < spin) {
                Thread.onSpinWait();
            }
            long before = schedstatWait();
            long read = WorkerPool.RunQueue.waitedNanos();
            long after = schedstatWait();
            assertThat(read).isBetween(before, after);
        }
        try (WorkerPool pool = new WorkerPool(3)) {
            pool.run(3, (w, stop) -> { });
            assertThat(pool.workersQueuedNanos()).isNotNegative();
        }
    }

    @Test
    void aWorkerFailureStopsTheOthersAndIsRethrownOnTheCaller() {
        try (WorkerPool pool = new WorkerPool(4)) {
            IllegalStateException boom = new IllegalStateException("boom");
            AtomicInteger stoppedLoops = new AtomicInteger();
            assertThatThrownBy(() -> pool.run(4, (w, stop) -> {
                if (w == 0) {
                    throw boom;
                }
                while (!stop.raised()) {
                    Thread.onSpinWait();
                }
                stoppedLoops.incrementAndGet();
            })).isSameAs(boom);
            assertThat(stoppedLoops.get()).isEqualTo(3);
            // The pool still works after a failed run.
            AtomicInteger ok = new AtomicInteger();
            pool.run(4, (w, stop) -> ok.incrementAndGet());
            assertThat(ok.get()).isEqualTo(4);
        }
    }

    @Test
    void interruptingTheCallerStopsTheWorkersAndKeepsTheInterruptFlag() throws Exception {
        try (WorkerPool pool = new WorkerPool(2)) {
            CountDownLatch running = new CountDownLatch(2);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flag = new AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    pool.run(2, (w, stop) -> {
                        running.countDown();
                        while (!stop.raised()) {
                            Thread.onSpinWait();
                        }
                    });
                } catch (Throwable t) {
                    thrown.set(t);
                }
                flag.set(Thread.currentThread().isInterrupted());
            });
            caller.start();
            running.await();
            caller.interrupt();
            caller.join();
            assertThat(thrown.get()).isInstanceOf(CancellationException.class);
            assertThat(flag.get()).isTrue();
        }
    }

    /** An internal breach on a worker thread: typed failure in tests, sequential fallback when enabled. */
    @Test
    void invariantBreachFailsWhenFallbackIsOffAndFallsBackWhenOn() {
        BlockFixtures block = BlockFixtures.firstBlock(GeneratorOptions.of(5, 1, 60, Workload.TRANSFER).withAccounts(50));
        ChainVm chainVm = new ChainVm();
        // Breaks the first execution of tx 7 per block run (the caller is worker 0, so any worker
        // may meet it); the sequential fallback's execution is a later one and succeeds.
        java.util.concurrent.atomic.AtomicInteger tx7Calls = new java.util.concurrent.atomic.AtomicInteger();
        TransactionVm breaksOnWorkers = (tx, ctx, state) -> {
            if (tx.index() == 7 && tx7Calls.getAndIncrement() == 0) {
                throw new InvariantViolation("injected breach at tx 7 incarnation 0 EXECUTING");
            }
            return chainVm.execute(tx, ctx, state);
        };
        BlockOutput expected = new SequentialEngine(chainVm).execute(block.context(), block.txs(), block.base());
        try (BlockStmEngine strict = new BlockStmEngine(breaksOnWorkers, BlockStmOptions.strict(2, true))) {
            assertThatThrownBy(() -> strict.execute(block.context(), block.txs(), block.base()))
                    .isInstanceOf(InvariantViolation.class).hasMessageContaining("injected breach");
        }
        tx7Calls.set(0);
        try (BlockStmEngine safe = new BlockStmEngine(breaksOnWorkers, BlockStmOptions.strict(2, true).withSequentialFallbackOnError(true))) {
            BlockOutput out = safe.execute(block.context(), block.txs(), block.base());
            OutputAssertions.assertSameResult(out, expected, "fallback");
            assertThat(out.stats().fallbacks()).isEqualTo(1);
        }
    }
}
