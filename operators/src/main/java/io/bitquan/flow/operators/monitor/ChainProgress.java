package io.bitquan.flow.operators.monitor;

import java.util.TreeMap;

/**
 * One chain's progress as the {@link FeedMonitor} sees it: the highest height read from
 * chain-events, the last result emitted towards the feeds, and the time between the two for a
 * height. Plain Java, single-threaded (the monitor's task thread; gauges read the volatile
 * fields from the metric reporter's thread).
 */
public final class ChainProgress {
    /** Heights whose read time is remembered; older ones are dropped (a feed far behind loses its latency, not memory). */
    static final int MAX_PENDING = 10_000;

    private final TreeMap<Long, Long> readNanosByHeight = new TreeMap<>();
    private volatile long sourceHeight = -1;
    private volatile long resultHeight = -1;
    private volatile long tipHeight = -1;
    private volatile double lastBlockLatencyMillis = -1;
    private volatile long divergences;
    private volatile long deadLetters;
    private volatile long results;

    /** An event of this height was read from chain-events at {@code nanos} (System.nanoTime). */
    public void read(long height, long nanos) {
        sourceHeight = Math.max(sourceHeight, height);
        readNanosByHeight.put(height, nanos);
        while (readNanosByHeight.size() > MAX_PENDING) {
            readNanosByHeight.pollFirstEntry();
        }
    }

    /** The result of the event at {@code height} is on its way to the feeds (committed with the next checkpoint). */
    public void result(long height, boolean accepted, boolean divergence, long nanos) {
        results++;
        resultHeight = height;
        if (accepted) {
            tipHeight = height;
        }
        if (divergence) {
            divergences++;
        }
        Long readAt = readNanosByHeight.get(height);
        if (readAt != null) {
            lastBlockLatencyMillis = (nanos - readAt) / 1e6;
        }
        // a result at this height answers every event up to it (a lower one can only come back after a reorg)
        readNanosByHeight.headMap(height, true).clear();
    }

    public void deadLetter() {
        deadLetters++;
    }

    /** Highest block height read from chain-events (-1: none yet). */
    public long sourceHeight() {
        return sourceHeight;
    }

    /** Height of the last accepted block (-1: none yet). */
    public long tipHeight() {
        return tipHeight;
    }

    /** Blocks read but not yet answered by a result: how far the feeds trail the source. */
    public long blocksBehind() {
        return Math.max(0, sourceHeight - resultHeight);
    }

    /** From reading a block's event to its result reaching the sink, ms (-1: none yet). Plus up to one checkpoint interval until read_committed consumers see it. */
    public double lastBlockLatencyMillis() {
        return lastBlockLatencyMillis;
    }

    public long divergences() {
        return divergences;
    }

    public long deadLetters() {
        return deadLetters;
    }

    public long results() {
        return results;
    }
}
