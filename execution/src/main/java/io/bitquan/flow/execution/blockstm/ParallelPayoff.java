package io.bitquan.flow.execution.blockstm;

/**
 * Whether running a kind of block in parallel has paid on this machine lately: the engine's own
 * measured cost per transaction of its recent parallel runs against its recent in-order runs
 * (the sequential engine on the calling thread), per kind of block, with the other way probed
 * now and then so a change of load or of block mix is noticed.
 *
 * <p>Why measure instead of predict: whether two workers beat one on light transactions depends
 * on the machine as much as on the block. On this project's 2-vCPU machine a transfer block with
 * ample predicted parallelism ran at 0.57x of sequential on two workers (cross-core cache traffic
 * doubles the cost of a 0.5 us transfer; docs/PERFORMANCE.md, round 5), while on another machine,
 * or with heavier transactions, the same schedule wins. A node should not pay that loss on every
 * block; Aptos's executor likewise lets the operator set its concurrency level per machine.
 *
 * <p>Determinism is untouched: both ways give the sequential result, so only the wall time depends
 * on this choice, never a hash. The clock is read by the engine, not here, so the decision logic
 * is tested with made-up costs. Not thread-safe: the engine runs one block at a time.
 */
final class ParallelPayoff {
    /** Kinds of block whose parallel runs cost differently: the predicted schedule or the optimistic run. */
    enum Kind { SCHEDULED, OPTIMISTIC }

    /** Parallel runs of a kind before the first in-order run: parallel is the default, measured first. */
    static final int PARALLEL_FIRST = 3;
    /** In-order runs before the choice is made (one is too few on a noisy machine). */
    static final int IN_ORDER_FIRST = 2;
    /** Blocks between probes of the way not chosen, at first and again after the choice flips. */
    static final int FIRST_PROBE_INTERVAL = 8;
    /** The longest wait between probes: a changed load is noticed within this many blocks. */
    static final int MAX_PROBE_INTERVAL = 256;
    /** Weight of a new measurement in the running estimate (1/4: a few blocks move it). */
    private static final double WEIGHT = 0.25;

    private final Estimate[] kinds = {new Estimate(), new Estimate()};

    /** True to run the next block of this kind in parallel, false to run it in order. */
    boolean parallel(Kind kind) {
        return kinds[kind.ordinal()].next();
    }

    /** The measured cost of the block just run: {@code nanos} wall time for {@code txs} transactions. */
    void record(Kind kind, boolean parallel, long nanos, int txs) {
        kinds[kind.ordinal()].record(parallel, (double) nanos / Math.max(1, txs));
    }

    /** The current estimates, ns per transaction (NaN before the first run of that way), for diagnostics. */
    double estimate(Kind kind, boolean parallel) {
        Estimate e = kinds[kind.ordinal()];
        return parallel ? e.parallelCost : e.inOrderCost;
    }

    private static final class Estimate {
        double parallelCost = Double.NaN;
        double inOrderCost = Double.NaN;
        int parallelRuns;
        int inOrderRuns;
        int sinceProbe;
        int probeInterval = FIRST_PROBE_INTERVAL;
        boolean probing;
        boolean chosenBeforeProbe;

        boolean next() {
            if (parallelRuns < PARALLEL_FIRST) {
                return true;
            }
            if (inOrderRuns < IN_ORDER_FIRST) {
                return false;
            }
            boolean best = parallelCost <= inOrderCost;
            if (++sinceProbe >= probeInterval) {
                sinceProbe = 0;
                probing = true;
                chosenBeforeProbe = best;
                return !best;
            }
            return best;
        }

        void record(boolean parallel, double cost) {
            if (parallel) {
                // The first runs carry the JIT's warm-up: until a way has its minimum of runs its
                // estimate is simply its latest run, so warm-up does not linger in the average.
                parallelCost = parallelRuns < PARALLEL_FIRST ? cost : parallelCost + WEIGHT * (cost - parallelCost);
                parallelRuns++;
            } else {
                inOrderCost = inOrderRuns < IN_ORDER_FIRST ? cost : inOrderCost + WEIGHT * (cost - inOrderCost);
                inOrderRuns++;
            }
            if (probing) {
                probing = false;
                boolean best = parallelCost <= inOrderCost;
                // A probe that confirms the choice makes the next one rarer; one that flips it
                // starts over, so a changed machine or mix is followed closely again.
                probeInterval = best == chosenBeforeProbe ? Math.min(MAX_PROBE_INTERVAL, probeInterval * 2) : FIRST_PROBE_INTERVAL;
            }
        }
    }
}
