package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * What two threads of this machine can give a workload at all: the sequential engine on the
 * calling thread alone, then on a second thread alone, then both at once, each on its own copy of
 * the block (its own decoded transactions and state, built by the thread that runs it), so
 * nothing at all is shared. The ceiling is the combined rate of the two copies run together over
 * the rate of one alone, {@code alone * (1 / first + 1 / second)}: no parallel engine can do
 * better on this machine than perfectly parallel work would. Why it is measured (docs/PERFORMANCE.md,
 * round 5): this VM's two vCPUs are unequal at any given moment (random memory access differed
 * by up to 10x between them, and which one was slow changed within minutes), so for a light,
 * memory-bound block the ceiling is often well below 2x and moves between launches.
 */
final class MachineCeiling {
    /** One thread's own copy of the measured block. */
    record Copy(BlockContext context, List<PreparedTx> txs, InMemoryStateStore base) {}

    /** Medians in ms. */
    record Result(double aloneMs, double otherAloneMs, double firstTogetherMs, double secondTogetherMs) {
        double ceiling() {
            return aloneMs * (1 / firstTogetherMs + 1 / secondTogetherMs);
        }
    }

    private MachineCeiling() {
    }

    static Result measure(Copy first, Supplier<Copy> secondFactory, TransactionVm vm, int warmup, int reps) {
        ExecutorService other = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bench-ceiling");
            t.setDaemon(true);
            return t;
        });
        try {
            Copy second = other.submit(secondFactory::get).get();
            SequentialEngine a = new SequentialEngine(vm);
            SequentialEngine b = new SequentialEngine(vm);
            double[] alone = new double[reps];
            double[] otherAlone = new double[reps];
            double[] firstTogether = new double[reps];
            double[] secondTogether = new double[reps];
            for (int i = -warmup; i < reps; i++) {
                double x = timed(a, first);
                double y = other.submit(() -> timed(b, second)).get();
                CountDownLatch go = new CountDownLatch(1);
                Future<Double> together = other.submit(() -> {
                    go.await();
                    return timed(b, second);
                });
                go.countDown();
                double z = timed(a, first);
                double w = together.get();
                if (i >= 0) {
                    alone[i] = x;
                    otherAlone[i] = y;
                    firstTogether[i] = z;
                    secondTogether[i] = w;
                }
            }
            return new Result(EngineBench.median(alone), EngineBench.median(otherAlone), EngineBench.median(firstTogether), EngineBench.median(secondTogether));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("ceiling measurement failed", e.getCause());
        } finally {
            other.shutdownNow();
        }
    }

    /**
     * With {@code -Dbitquan.bench.cpu} the calling thread's CPU time instead of wall time (as the
     * engine rows): then "both at once" shows what running beside a second busy thread does to the
     * sequential engine's CPU per block on this machine, the fair yardstick for a 2-worker
     * engine's thread CPU.
     */
    private static final boolean CPU_TIME = Boolean.getBoolean("bitquan.bench.cpu");

    private static double timed(SequentialEngine engine, Copy copy) {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = CPU_TIME ? bean.getCurrentThreadCpuTime() : System.nanoTime();
        engine.execute(copy.context(), copy.txs(), copy.base());
        return ((CPU_TIME ? bean.getCurrentThreadCpuTime() : System.nanoTime()) - t0) / 1e6;
    }

}
