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
 * <p>How the two ways are compared (round 10): the in-order way by the cheapest of its last
 * three runs, the parallel way by the median of its last three, and parallel is chosen only when
 * that median is at most {@link #PARALLEL_MARGIN} of the in-order cost. Why not medians on both
 * sides: an in-order block runs on one thread, and which vCPU it lands on moves its wall time by
 * up to 2x on this VM (round 9's ceiling rows: the same sequential block 8.35 ms on one thread,
 * 16.41 ms on the other), while a parallel block always spans both vCPUs. Interference only ever
 * adds time, so an in-order block that ran on the fast vCPU (or beside no other process) is the
 * in-order way's true cost, and one such run among the last three is enough to see it; with
 * medians, two in-order runs on the slow vCPU made a parallel way that lost by 20% look cheaper,
 * and it then stayed chosen until probes refreshed the in-order runs (round 9's matrix: 10 of 15
 * token blocks in parallel at 0.85x). Parallel, the way that can lose, has to be cheaper in two of
 * its last three runs and by a margin: a thin win is not worth the risk of a loss, since the
 * in-order way is the sequential engine itself.
 *
 * <p>Round 14 compares like with like: parallel's median of three against in order's median of
 * three, with a margin of {@link #PARALLEL_MARGIN} (3%), and parallel's cheapest run no dearer
 * than in order's cheapest (the uneven-vCPU guard above: an in-order way that lands on the fast
 * vCPU once in three keeps a cheap run that a 1.4x-slower parallel way cannot beat). Round 10's
 * test, parallel's median within 0.95 of in order's cheapest, asked a win of about 10% of in
 * order's typical run (its cheapest of three sits 3-5% below its median on this machine): the
 * lead's idle matrix of round 14 ran listed-token blocks in order 14 times of 15 (1.02x) while
 * parallel ran at 1.11x in the same launch. A probe wins, and starts a series, only when the same
 * test would take its cost as parallel's median; a losing way still falling fast after the opening
 * is probed after the short interval ({@code Estimate.clearProbeInterval}), and since round 15 so
 * is a losing parallel way whose first run was cold ({@code Recent.coldFirstRun}): whether a
 * JIT-cold opening was probed at the bench's block 10 or 14 turned on a few per cent in one run.
 *
 * <p>Warm runs decide, not the JIT's (round 11). A fresh engine's first runs of a way compile its
 * code: the round-10 matrix opened mixed with parallel runs of 58.6 and 21.7 ms against in-order
 * runs of ~12.2 ms, decided in order early, and when the first probe ran warm at 8.0 ms the two
 * cold runs still made two of parallel's three; the second probe read 15.3 ms, the median stayed
 * above in order's cheapest and 13 of the bench's 15 blocks ran in order while parallel was
 * 1.38-1.55x faster in the same launch. Three rules, each only adding runs before a choice is
 * made or kept (opening runs of both ways, or probes), never dropping a run from the comparison:
 * <ul>
 *   <li><b>A warming way keeps the opening going</b>: while a way's runs have only fallen and
 *       the latest to less than {@link #WARMING_RATIO} of the one before, it is still compiling
 *       (a stalled block goes up and back down instead; a swing of load or of
 *       vCPU moves a run by up to 2x, the JIT by 3-7x), so no decision is taken on its runs yet
 *       and the two ways go on alternating, up to {@link #MAX_OPENING} runs of a way. A JIT-cold
 *       in-order opening (which made parallel look like a clear win) is covered the same way.</li>
 *   <li><b>A split window is settled at once</b>: a decision for in order while one of
 *       parallel's last three runs beat in order by the margin probes parallel on the next block
 *       instead of after an interval.</li>
 *   <li><b>A winning probe starts a series of up to three</b>: after a probe that beat the
 *       choice the way is probed again on each next block while the series holds a win and has
 *       fewer than three runs, so three back-to-back warm runs fill the window and the median of
 *       those decides: the opening's cold runs cannot outvote them (round 10 stopped after a win
 *       and a loss, the cold run casting the deciding vote). A lucky probe costs two more blocks
 *       of the losing way, once per probe interval.</li>
 * </ul>
 * None of them touches how the ways are compared, so the floor on uneven vCPUs holds
 * ({@code ParallelPayoffTest}).
 *
 * <p>A kind that keeps falling back goes in order (round 12). A parallel run abandoned as too
 * contended (amm's one hot pool: a few dozen executions, then the sequential engine) is an
 * in-order run with a wasted start in front; its cost says nothing about parallel, and when load
 * slowed the in-order runs it read cheaper by noise: round 12's matrix ran 5 of amm's last 7
 * blocks that way at 0.84x. The engine says which parallel runs fell back; once two runs and every
 * one of parallel's last three fell back, parallel is not the better way whatever the costs say,
 * the opening ends as after a clear loss (probes after 8 blocks, doubling), and a fallen-back
 * probe is no win. A probe that runs in parallel for real re-enters the comparison as usual.
 *
 * <p>The engine asks {@link #wouldRunParallel} before it samples the block (round 12): a block
 * the check runs in order needs no sample, so it costs what the sequential engine costs; and it
 * records the whole call's time, so both ways are compared on what the caller pays.
 *
 * <p>The payoff log says why each block ran its way ({@link Why}, round 18): a reader of the
 * log could not tell a probe from a flip or a confirmation before. Round 18 also measured,
 * and reverted, a rule that left out of the estimate the runs the JIT or a busy vCPU disturbed
 * (docs/PERFORMANCE.md, round 18): it lengthened the opening of kinds that lose in parallel
 * (transfers 0.92-0.98x with defaults in its four launches) and resolved no gain on token, whose
 * slow parallel probes ran with both workers on one vCPU (their run-queue wait about the block's
 * wall, which the log now prints), a cost the estimate cannot remove.
 *
 * <p>Determinism is untouched: both ways give the sequential result, so only the wall time depends
 * on this choice, never a hash. The clock is read by the engine, not here, so the decision logic
 * is tested with made-up costs. Not thread-safe: the engine runs one block at a time.
 */
final class ParallelPayoff {
    /** Kinds of block whose parallel runs cost differently: the predicted schedule or the optimistic run. */
    enum Kind { SCHEDULED, OPTIMISTIC }

    /**
     * Runs of each way before the first choice, alternating and parallel first, so a drift of
     * the machine's load during the opening hits both ways alike; fewer when one way clearly
     * wins ({@link #EARLY_OPENING}).
     */
    static final int OPENING = 3;
    /**
     * Blocks between probes of the way not chosen, at first and again after the choice flips.
     * Short, because the opening runs while the JIT still compiles the engine's paths: a quiet
     * launch of `bench engine` kept in-order runs for 8 of 15 blocks of a listed-token block that
     * then ran 1.2x faster in parallel, with a first interval of 8.
     */
    static final int FIRST_PROBE_INTERVAL = 4;
    /** The longest wait between probes: a changed load is noticed within this many blocks. */
    static final int MAX_PROBE_INTERVAL = 256;
    /**
     * Runs of each way after which a clear difference ends the opening early (see
     * {@link #CLEAR_RATIO}). Two, not one: the first run of a way may still be compiling its code.
     */
    static final int EARLY_OPENING = 2;
    /**
     * A clear difference: the cheaper way's median at most this fraction of the other's, and its
     * costliest run below the other's cheapest (no overlap: one block slowed by another process
     * or the JIT cannot make it). Measured before this rule (round 8, quiet): listed token blocks
     * ran 1.2-1.3x faster in parallel, yet the fixed opening and probes every 4..8 blocks kept 5
     * of the bench's 15 blocks in order; transfers ran in parallel at 0.6-0.7x of in order. Both
     * differences are clear, and a margin of 15% is well outside the block-to-block spread of one
     * way on a quiet machine (a few per cent).
     */
    static final double CLEAR_RATIO = 0.85;
    /**
     * The first probe interval after an opening that showed a clear difference (else
     * {@link #FIRST_PROBE_INTERVAL}): decided early, or after the full opening by medians of three.
     * Not longer: two runs each on a busy machine can still mislead, and a wrong early choice
     * should be probed within a few blocks (a launch at load 10 kept utxo in order for all of
     * its 15 blocks with 16 here, while parallel was faster in that launch's ablation).
     */
    static final int CLEAR_PROBE_INTERVAL = 8;
    /**
     * Parallel is chosen only when its median cost is at most this fraction of the in-order way's
     * median (and its cheapest run no dearer than in order's cheapest): a parallel way within 3%
     * of in order gains next to nothing, while a wrong choice costs up to the whole loss (the
     * floor is 0.95x of sequential). Was 0.95 of in order's cheapest run until round 14.
     */
    static final double PARALLEL_MARGIN = 0.97;
    /**
     * A way whose latest run cost less than this fraction of its previous one is still warming
     * up (the JIT): 0.37 and 0.37 for mixed's opening parallel runs (58.6, 21.7, 8.0 ms), 0.29
     * and 0.49 for token's (410, 117, 57 ms). Strictly below one half, so an in-order run moving
     * between two vCPUs 2x apart (round 9) is not taken for a warm-up.
     */
    static final double WARMING_RATIO = 0.5;
    /**
     * A losing way whose runs have only fallen, the latest to at most this fraction of its first,
     * may still be warming up (see {@code Estimate.clearProbeInterval}): the JIT took listed
     * token's parallel runs from 67.9 to 33.3 ms (0.49) and then to 22.7 ms; two warm runs of one
     * way differ by a few per cent on a quiet machine, far above this ratio.
     */
    static final double STILL_FALLING_RATIO = 0.8;
    /**
     * A parallel way whose every run after its first cost at most this fraction of the first ran
     * its first run cold (see {@code Recent#coldFirstRun}). The JIT's first parallel runs, measured
     * against the way's next ones: listed tokens 0.49-0.50 (idle, round 14) and 0.32-0.34 (load
     * 12, round 15), token 0.53 (load 8), transfers 0.26; a warm way's runs differ by a few per
     * cent, and a parallel run spans both vCPUs, so the uneven-vCPU swing of an in-order run
     * (up to 2x) does not reach it.
     */
    static final double COLD_FIRST_RATIO = 0.6;
    /** The opening stops waiting for a warming way once a way has run this many times. */
    static final int MAX_OPENING = 5;

    /** Why the check answered as it did for a kind's latest block (for the payoff log). */
    enum Why {
        /** Before the first choice: the two ways alternate. */
        OPENING,
        /** The way chosen. */
        CHOICE,
        /** The other way, probed (alone, or as the next run of a series). */
        PROBE,
        /** In order once more before flipping to parallel on in-order runs that got dearer. */
        CONFIRM
    }

    private final Estimate[] kinds = {new Estimate(), new Estimate()};

    /** True to run the next block of this kind in parallel, false to run it in order. */
    boolean parallel(Kind kind) {
        return kinds[kind.ordinal()].next();
    }

    /**
     * What {@link #parallel} would answer for the next block of this kind, without taking the
     * decision (no probe counted, nothing moved): the engine asks before it pays for anything
     * only a parallel run needs, and a block it then runs in order takes the decision as usual.
     */
    boolean wouldRunParallel(Kind kind) {
        return kinds[kind.ordinal()].peek();
    }

    /** The measured cost of the block just run: {@code nanos} wall time for {@code txs} transactions. */
    void record(Kind kind, boolean parallel, long nanos, int txs) {
        record(kind, parallel, nanos, txs, false);
    }

    /**
     * As {@link #record(Kind, boolean, long, int)}; {@code fellBack}: a parallel run that was
     * abandoned and re-run in order (too contended, or an internal failure), so its cost is the
     * in-order way's plus the abandoned start, not a measure of what parallel costs.
     */
    void record(Kind kind, boolean parallel, long nanos, int txs, boolean fellBack) {
        kinds[kind.ordinal()].record(parallel, (double) nanos / Math.max(1, txs), parallel && fellBack);
    }

    /** Why the latest block of this kind ran the way it did (taken by {@link #parallel}, not by a peek). */
    Why why(Kind kind) {
        return kinds[kind.ordinal()].why;
    }

    /**
     * The cost the next choice compares, ns per transaction (NaN before the first run of that
     * way): each way's median of its last three runs.
     */
    double estimate(Kind kind, boolean parallel) {
        Estimate e = kinds[kind.ordinal()];
        return parallel ? e.parallelCost() : e.inOrderCost();
    }

    /**
     * A way's last three costs per transaction. The median of three, not a running average: one
     * block slowed by another process (or by the JIT's warm-up) must not decide the choice.
     */
    private static final class Recent {
        final double[] costs = new double[OPENING];
        /** Whether the run in the same slot of {@link #costs} fell back (parallel runs only). */
        final boolean[] fellBack = new boolean[OPENING];
        int count;
        /** Every run of this way so far cost less than the one before it (as while the JIT compiles). */
        boolean falling = true;
        /** This way's first run's cost (NaN before it). */
        double first = Double.NaN;
        /** The dearest of this way's runs after its first (-infinity before the second). */
        double dearestAfterFirst = Double.NEGATIVE_INFINITY;

        void add(double cost, boolean fell) {
            falling &= count == 0 || cost < costs[(count - 1) % costs.length];
            if (count == 0) {
                first = cost;
            } else {
                dearestAfterFirst = Math.max(dearestAfterFirst, cost);
            }
            fellBack[count % costs.length] = fell;
            costs[count++ % costs.length] = cost;
        }

        /**
         * At least {@link #EARLY_OPENING} runs, and every one of the last three (or fewer, if
         * fewer ran) fell back: this kind of block has not once run in parallel lately.
         */
        boolean allFellBack() {
            if (count < EARLY_OPENING) {
                return false;
            }
            for (int i = 0; i < Math.min(count, costs.length); i++) {
                if (!fellBack[i]) {
                    return false;
                }
            }
            return true;
        }

        double max() {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < Math.min(count, costs.length); i++) {
                m = Math.max(m, costs[i]);
            }
            return m;
        }

        double min() {
            if (count == 0) {
                return Double.NaN;
            }
            double m = Double.POSITIVE_INFINITY;
            for (int i = 0; i < Math.min(count, costs.length); i++) {
                m = Math.min(m, costs[i]);
            }
            return m;
        }

        /**
         * Still compiling: the way's runs have only fallen so far, the latest to less than
         * {@link #WARMING_RATIO} of the one before. A JIT warm-up falls run after run; one block
         * slowed by another process goes up and back down, and is left to the median.
         */
        boolean warming() {
            return falling && count >= 2 && costs[(count - 1) % costs.length] < WARMING_RATIO * costs[(count - 2) % costs.length];
        }

        /**
         * May still be warming up: at least {@link #OPENING} runs, every one cheaper than the one
         * before (two runs can be a vCPU swing, round 9's 2x), and the latest
         * at most {@link #STILL_FALLING_RATIO} of the first (the JIT's warm-up falls by far more
         * than the few per cent two runs of a warm way differ by; see {@code Estimate.clearProbeInterval}).
         */
        boolean stillFalling() {
            return falling && count >= OPENING && costs[(count - 1) % costs.length] <= STILL_FALLING_RATIO * first;
        }

        /**
         * Ran its first run cold (asked of the parallel way only): at least {@link #EARLY_OPENING}
         * runs, and every run after the first at most {@link #COLD_FIRST_RATIO} of the first.
         * Round 15: {@link #stillFalling} alone misses a warm-up that falls in steps or that an
         * early opening cuts short: listed tokens' parallel opening fell 67.9, 33.8, 33.3 ms (a
         * plateau; under load 1089, 345, 374 ms, a rise), and an opening decided after two runs
         * of each way (token under load: 1052, 554 ms against 170, 339) has too few runs for it;
         * either way the first probe came eight blocks after the opening, not four.
         */
        boolean coldFirstRun() {
            return count >= EARLY_OPENING && dearestAfterFirst <= COLD_FIRST_RATIO * first;
        }

        double median() {
            int k = Math.min(count, costs.length);
            if (k == 0) {
                return Double.NaN;
            }
            double[] v = java.util.Arrays.copyOf(costs, k);
            java.util.Arrays.sort(v);
            return k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
        }
    }

    private static final class Estimate implements Cloneable {
        final Recent parallel = new Recent();
        final Recent inOrder = new Recent();
        int sinceProbe;
        int probeInterval = FIRST_PROBE_INTERVAL;
        boolean probing;
        boolean probeAgain;
        /** The way chosen after the opening (probes run the other way without changing it). */
        boolean choice;
        boolean decided;
        /** Set while one more in-order run confirms a flip to parallel that the in-order runs made. */
        boolean confirming;
        /** The last block was a parallel probe that made parallel the better way (its second such, see probeAgain). */
        boolean parallelProbeWon;
        /** Set when the opening is over (after {@link #OPENING} runs each, or earlier on a clear difference). */
        boolean opened;
        /** Probes run back to back in the current series, and how many of them beat the choice. */
        int seriesRuns;
        int seriesWins;
        /** Why {@link #next} answered as it did last (the log's; a peek answers on a copy). */
        Why why = Why.OPENING;

        double parallelCost() {
            return parallel.median();
        }

        double inOrderCost() {
            return inOrder.median();
        }

        /**
         * True when the parallel way is the better one: see the class comment. Never while every
         * recent parallel run fell back: those runs were in-order runs with an abandoned start in
         * front, so their cost can only look lower than in order's by noise (round 12: amm's
         * in-order runs slowed by load let its fallen-back runs win the comparison, and the
         * defaults ran 5 of the last 7 blocks that way).
         */
        boolean best() {
            return !parallel.allFellBack() && beatsInOrder(parallelCost()) && parallel.min() <= inOrder.min();
        }

        /**
         * Whether a parallel cost beats the in-order way as {@link #best} asks of parallel's median:
         * by the margin against in order's median, and no dearer than in order's cheapest run
         * (a run that could not flip the choice is no win, however it compares with the median).
         */
        boolean beatsInOrder(double parallelCost) {
            return parallelCost <= PARALLEL_MARGIN * inOrderCost() && parallelCost <= inOrder.min();
        }

        /**
         * The first probe interval after an opening that showed a clear difference: the longer
         * {@link #CLEAR_PROBE_INTERVAL}, unless the way that lost has only got cheaper run after run
         * and by a good part ({@link Recent#stillFalling}), or is parallel and ran its first run
         * cold, well above every later one ({@link Recent#coldFirstRun}, round 15): then it may be
         * losing only because the JIT is still compiling it, and it is probed after
         * {@link #FIRST_PROBE_INTERVAL}. Round 14's
         * idle matrix, listed tokens: parallel's opening ran 67.9, 33.8, 33.3 ms while the JIT
         * compiled (against 23.0-23.6 in order), its first warm probe, eight blocks later, 22.7 ms;
         * a way that clearly loses warm (transfers: 13.7 against 6.6 ms) pays one more probe.
         */
        private int clearProbeInterval() {
            Recent loser = best() ? inOrder : parallel; // the way the opening is about to leave
            boolean mayBeWarming = loser.stillFalling() || loser == parallel && parallel.coldFirstRun();
            return mayBeWarming ? FIRST_PROBE_INTERVAL : CLEAR_PROBE_INTERVAL;
        }

        /** Whether {@code cheaper} clearly beat {@code other}: see {@link #CLEAR_RATIO}. */
        private static boolean clearly(Recent cheaper, Recent other) {
            return clearMedians(cheaper, other) && cheaper.max() < other.min();
        }

        private static boolean clearMedians(Recent cheaper, Recent other) {
            return cheaper.median() <= CLEAR_RATIO * other.median();
        }

        /**
         * {@link #next} on a copy: a shallow one is enough, since {@code next} changes only this
         * object's own fields and never the runs ({@link Recent} changes only in {@link #record}).
         */
        boolean peek() {
            try {
                return ((Estimate) clone()).next();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        boolean next() {
            if (!opened && parallel.allFellBack()) {
                // Every parallel run of the opening fell back (amm's one hot pool: the run is
                // abandoned after a few dozen executions and the block re-run in order): in order
                // is decided, whatever the costs say, and parallel probed as after a clear loss.
                opened = true;
                probeInterval = CLEAR_PROBE_INTERVAL;
            }
            if (!opened) {
                boolean warming = (parallel.warming() || inOrder.warming())
                        && Math.max(parallel.count, inOrder.count) < MAX_OPENING;
                why = Why.OPENING;
                if (warming) {
                    return parallel.count <= inOrder.count; // no decision on a way still compiling
                }
                if (parallel.count >= EARLY_OPENING && parallel.count == inOrder.count
                        && (clearly(parallel, inOrder) || clearly(inOrder, parallel))) {
                    // Decided early: the other way is probed first after a longer interval, so a
                    // node spends few blocks on the way that clearly lost (the probes still double).
                    opened = true;
                    probeInterval = clearProbeInterval();
                } else if (parallel.count < OPENING || inOrder.count < OPENING) {
                    return parallel.count <= inOrder.count;
                } else if (clearMedians(parallel, inOrder) || clearMedians(inOrder, parallel)) {
                    // The full opening ran because the runs overlapped (typically the first
                    // parallel run, while the JIT still compiled it), yet the medians of three
                    // differ clearly: probe the loser as rarely as after an early decision.
                    probeInterval = clearProbeInterval();
                }
                opened = true;
            }
            if (!decided) {
                decided = true;
                choice = best();
                if (!choice && !parallel.allFellBack() && beatsInOrder(parallel.min())) {
                    // Parallel's runs straddle in order's cost: one more run settles it now, as
                    // the second run of a series that opened with the winning run.
                    probeAgain = true;
                    seriesRuns = 1;
                    seriesWins = 1;
                }
            }
            boolean best = best();
            if (best != choice && !probing) {
                if (best && !confirming && !parallelProbeWon) {
                    // The in-order runs got dearer, not parallel cheaper (e.g. three in-order blocks
                    // in a row on the slow vCPU): run in order once more before flipping.
                    confirming = true;
                    why = Why.CONFIRM;
                    return false;
                }
                // The choice moved: follow the changed machine or mix closely again.
                choice = best;
                sinceProbe = 0;
                probeInterval = FIRST_PROBE_INTERVAL;
            }
            confirming = false;
            if (probeAgain || ++sinceProbe >= probeInterval) {
                why = Why.PROBE;
                sinceProbe = 0;
                probeAgain = false;
                probing = true;
                return !choice;
            }
            why = Why.CHOICE;
            return choice;
        }

        void record(boolean wasParallel, double cost, boolean fellBack) {
            (wasParallel ? parallel : inOrder).add(cost, fellBack);
            parallelProbeWon = probing && wasParallel && best();
            if (!probing) {
                return;
            }
            probing = false;
            if (best() != choice) {
                seriesRuns = 0;
                seriesWins = 0;
                return; // flipped: the next choice follows it (and resets the probe interval)
            }
            seriesRuns++;
            if (wasParallel ? !fellBack && beatsInOrder(cost) : cost < parallelCost()) {
                seriesWins++;
            }
            if (seriesWins > 0 && seriesRuns < OPENING) {
                // A probe of this series beat the choice: look again until three back-to-back
                // runs fill the window, so old (cold) runs cannot cast the deciding vote.
                probeAgain = true;
            } else {
                seriesRuns = 0;
                seriesWins = 0;
                probeInterval = Math.min(MAX_PROBE_INTERVAL, probeInterval * 2); // confirmed: probe more rarely
            }
        }
    }
}
