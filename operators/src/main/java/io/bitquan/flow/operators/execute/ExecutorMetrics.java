package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.engine.ExecutionStats;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;

/**
 * The executor's Flink metrics (Web UI, Prometheus when the reporter is on) and accumulators
 * (totals a client reads from the JobClient: {@link #ACC_TXS}, {@link #ACC_EXECUTIONS},
 * {@link #ACC_ABORTS}, {@link #ACC_FALLBACKS}). Task thread only.
 */
public final class ExecutorMetrics {
    public static final String ACC_TXS = "executor.transactions";
    public static final String ACC_EXECUTIONS = "executor.executions";
    public static final String ACC_ABORTS = "executor.aborts";
    public static final String ACC_FALLBACKS = "executor.fallbacks";
    /** Wall clock (ms) when the first unit reached an executor / when the last block left one. */
    public static final String ACC_FIRST_MS = "executor.first-unit-ms";
    public static final String ACC_LAST_MS = "executor.last-block-ms";

    private final LongMinimum accFirst;
    private final LongMaximum accLast;

    private final LongCounter accTxs;
    private final LongCounter accExecutions;
    private final LongCounter accAborts;
    private final LongCounter accFallbacks;
    private final Counter accepted;
    private final Counter rejected;
    private final Counter transactions;
    private final Counter aborts;
    private final Counter reExecutions;
    private final Counter fallbacks;
    private final Counter prefetchMisses;
    private final Counter disconnected;
    private final Counter storedBlocks;
    private final Counter duplicateBlocks;
    private final Counter condemnedBlocks;
    private volatile long heldBlocks;
    private volatile long heldBytes;
    private volatile double lastBlockTps;
    private volatile double lastExecuteMillis;
    private volatile double lastAbortRate;

    ExecutorMetrics(RuntimeContext rc) {
        MetricGroup group = rc.getMetricGroup();
        accTxs = rc.getLongCounter(ACC_TXS);
        accExecutions = rc.getLongCounter(ACC_EXECUTIONS);
        accAborts = rc.getLongCounter(ACC_ABORTS);
        accFallbacks = rc.getLongCounter(ACC_FALLBACKS);
        accFirst = new LongMinimum();
        accLast = new LongMaximum();
        rc.addAccumulator(ACC_FIRST_MS, accFirst);
        rc.addAccumulator(ACC_LAST_MS, accLast);
        accepted = group.counter("blocksAccepted");
        rejected = group.counter("blocksRejected");
        transactions = group.counter("transactionsExecuted");
        aborts = group.counter("aborts");
        reExecutions = group.counter("reExecutions");
        fallbacks = group.counter("fallbacks");
        prefetchMisses = group.counter("prefetchMisses");
        disconnected = group.counter("blocksDisconnected");
        storedBlocks = group.counter("blocksStored");
        duplicateBlocks = group.counter("duplicateBlocks");
        condemnedBlocks = group.counter("blocksMarkedInvalid");
        group.gauge("heldBlocks", (Gauge<Long>) () -> heldBlocks);
        group.gauge("heldBytes", (Gauge<Long>) () -> heldBytes);
        group.gauge("lastBlockTps", (Gauge<Double>) () -> lastBlockTps);
        group.gauge("lastBlockExecuteMillis", (Gauge<Double>) () -> lastExecuteMillis);
        group.gauge("lastBlockAbortRate", (Gauge<Double>) () -> lastAbortRate);
    }

    void executed(int txs, ExecutionStats stats, long nanos, long misses) {
        transactions.inc(txs);
        accTxs.add(txs);
        accExecutions.add(stats.executions());
        accAborts.add(stats.aborts());
        accFallbacks.add(stats.fallbacks());
        aborts.inc(stats.aborts());
        reExecutions.inc(stats.reExecutions(txs));
        fallbacks.inc(stats.fallbacks());
        prefetchMisses.inc(misses);
        lastExecuteMillis = nanos / 1e6;
        lastBlockTps = nanos == 0 ? 0 : txs * 1e9 / nanos;
        lastAbortRate = txs == 0 ? 0 : (double) stats.aborts() / txs;
    }

    void received() {
        if (accFirst.getLocalValuePrimitive() == Long.MAX_VALUE) {
            accFirst.add(System.currentTimeMillis());
        }
    }

    void finishedUnit() {
        accLast.add(System.currentTimeMillis());
    }

    void disconnected() {
        disconnected.inc();
    }

    void stored() {
        storedBlocks.inc();
    }

    void duplicate() {
        duplicateBlocks.inc();
    }

    void condemned() {
        condemnedBlocks.inc();
    }

    /** What the block store holds now (gaps and side branches): count and payload bytes. */
    void held(long blocks, long bytes) {
        heldBlocks = blocks;
        heldBytes = bytes;
    }

    void accepted() {
        accepted.inc();
    }

    void rejected() {
        rejected.inc();
    }
}
