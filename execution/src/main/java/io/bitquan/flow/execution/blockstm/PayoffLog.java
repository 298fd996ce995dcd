package io.bitquan.flow.execution.blockstm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Diagnostics of the payoff check ({@code -Dbitquan.bench.payoff=true}, off by default, never
 * seen by users): one line per block on stderr with the way chosen, the block's wall time, the
 * calling thread's CPU time and the estimates the next choice will compare. Used to find why
 * the defaults chose parallel token blocks that lost (docs/PERFORMANCE.md, round 10). Since
 * round 18 also the run-queue wait of the calling thread ({@code queued=}) and of the pool's
 * workers ({@code workersQueued=}) over the way's run: a parallel block whose wait is about its
 * wall ran both workers on one vCPU (round 13's one-vCPU blocks); and why the check ran the
 * block that way ({@code why=}: opening, choice, probe, confirm). Since round 19 how many pool
 * workers entered the block's job on the caller's vCPU ({@code onCallersCpu=}), and a line for
 * every block of an engine without the check too ({@code UNCHECKED ... why=unchecked}: the
 * fallback-off engine's runs, to hold against the defaults' probes).
 *
 * <p>The lines are kept and printed by {@link #flush}, which the bench calls after each timed
 * block, outside its timing (round 12): printed inside the call, each line cost 0.4-1.6 ms of
 * the block's time (formatting and writing to stderr; measured by timing the print itself, on a
 * machine at load 9), which the bench then charged to the block-stm rows (round 12's matrix:
 * in-order blocks 0.4-0.9 ms dearer than the same blocks' own wall time in this log). Anyone else
 * gets them at the latest every {@link #KEPT} blocks.
 */
public final class PayoffLog {
    static final boolean ON = Boolean.getBoolean("bitquan.bench.payoff");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Blocks kept before they are printed without a {@link #flush}. */
    static final int KEPT = 64;

    /** One block's figures, formatted only when printed. */
    private record Line(ParallelPayoff.Kind kind, boolean parallel, long nanos, long callerCpu, int txs,
                        double parallelEstimate, double inOrderEstimate, long sample, long call, long jitMillis,
                        long callerQueued, long workersQueued, long onCallersCpu, ParallelPayoff.Why why) {}

    /** Written and read by the thread that runs blocks (the engine is not re-entrant) or the bench's, in turn. */
    private static final List<Line> PENDING = new ArrayList<>();

    private PayoffLog() {}

    static long cpuNow() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * {@code nanos} is the way's wall time, {@code sample} the contention sample's (0 when the
     * block was not sampled), {@code call} the whole call up to here: what a caller (and the
     * bench) pays, and what the check records; {@code callerQueued} and {@code workersQueued} the
     * run-queue wait of the calling thread and of the pool's workers over the way's run
     * ({@link WorkerPool.RunQueue}: runnable, but another task had the vCPU).
     */
    static synchronized void block(ParallelPayoff payoff, ParallelPayoff.Kind kind, boolean parallel, long nanos,
                                   long callerCpu, int txs, long sample, long call, long jitMillis, long callerQueued,
                                   long workersQueued, long onCallersCpu) {
        keep(new Line(kind, parallel, nanos, callerCpu, txs, payoff.estimate(kind, true), payoff.estimate(kind, false),
                sample, call, jitMillis, callerQueued, workersQueued, onCallersCpu, payoff.why(kind)));
    }

    /**
     * A block of an engine without the check (round 19: the fallback-off engine's runs, to hold
     * their queue wait and placement against the defaults' probes): no kind, estimates or reason;
     * printed with {@code why=unchecked}. {@code onCallersCpu}: pool workers that entered their
     * job on the caller's vCPU ({@code WorkerPool.OnCpu}), as for checked blocks.
     */
    static synchronized void unchecked(long nanos, long callerCpu, int txs, long call, long jitMillis,
                                       long callerQueued, long workersQueued, long onCallersCpu) {
        keep(new Line(null, true, nanos, callerCpu, txs, Double.NaN, Double.NaN, 0, call, jitMillis, callerQueued,
                workersQueued, onCallersCpu, null));
    }

    private static void keep(Line line) {
        PENDING.add(line);
        if (PENDING.size() >= KEPT) {
            flush();
        }
    }

    /** Prints the lines kept so far (nothing when the log is off). Call it outside any timing. */
    public static void flush() {
        flush("");
    }

    /**
     * As {@link #flush()}, each line naming the run it came from after the word {@code payoff}
     * (the bench passes workload, engine, threads and rep: round 15's unlabelled lines of a whole
     * matrix could not be told apart).
     */
    public static synchronized void flush(String label) {
        String prefix = label.isEmpty() ? "payoff " : "payoff " + label + " ";
        for (Line l : PENDING) {
            System.err.printf(Locale.ROOT,
                    "%s%s %s wall=%.3fms callerCpu=%.3fms perTx=%.1fns est(par)=%.1f est(ord)=%.1f sample=%.3fms call=%.3fms jit=%dms"
                            + " queued=%.3fms workersQueued=%.3fms onCallersCpu=%d why=%s%n",
                    prefix, l.kind() == null ? "UNCHECKED" : l.kind(), l.parallel() ? "parallel" : "in-order",
                    l.nanos() / 1e6, l.callerCpu() / 1e6,
                    (double) l.nanos() / Math.max(1, l.txs()), l.parallelEstimate(), l.inOrderEstimate(), l.sample() / 1e6,
                    l.call() / 1e6, l.jitMillis(), l.callerQueued() / 1e6, l.workersQueued() / 1e6, l.onCallersCpu(),
                    l.why() == null ? "unchecked" : l.why().name().toLowerCase(Locale.ROOT));
        }
        PENDING.clear();
    }
}
