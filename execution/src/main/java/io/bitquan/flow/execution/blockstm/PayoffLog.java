package io.bitquan.flow.execution.blockstm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Diagnostics of the payoff check ({@code -Dbitquan.bench.payoff=true}, off by default, never
 * seen by users): one line per block on stderr with the way chosen, the block's wall time, the
 * calling thread's CPU time and the estimates the next choice will compare. Used to find why
 * the defaults chose parallel token blocks that lost (docs/PERFORMANCE.md, round 10).
 */
final class PayoffLog {
    static final boolean ON = Boolean.getBoolean("bitquan.bench.payoff");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private PayoffLog() {}

    static long cpuNow() {
        return THREADS.getCurrentThreadCpuTime();
    }

    /**
     * {@code sample} is the contention sample's wall time before the choice, {@code call} the whole
     * call up to this line (sample, choice, way, bookkeeping): what a caller (and the bench) pays.
     */
    static void block(ParallelPayoff payoff, ParallelPayoff.Kind kind, boolean parallel, long nanos, long callerCpu, int txs,
                      long sample, long call) {
        long start = System.nanoTime();
        System.err.printf("payoff %s %s wall=%.3fms callerCpu=%.3fms perTx=%.1fns est(par)=%.1f est(ord)=%.1f sample=%.3fms call=%.3fms lastLine=%.3fms%n",
                kind, parallel ? "parallel" : "in-order", nanos / 1e6, callerCpu / 1e6, (double) nanos / Math.max(1, txs),
                payoff.estimate(kind, true), payoff.estimate(kind, false), sample / 1e6, call / 1e6, lastLine / 1e6);
        lastLine = System.nanoTime() - start;
    }

    /** How long printing the previous line took (it is outside {@code call}; printed on the next line). */
    private static long lastLine;
}
