package io.bitquan.flow.execution.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * How long a block's engines are warmed before the timed reps (round 18, {@code --warmup auto}).
 * A fixed count warmed some workloads too little: tok17 (docs/PERFORMANCE.md, round 17) found the
 * token rows at {@code --warmup 3} measuring the JIT still compiling the optimistic path. So a
 * round (every engine of the block once) is repeated, at least {@link #MIN_ROUNDS} times (the old
 * fixed count: auto never warms less), until {@link #QUIET_IN_A_ROW} rounds in a row each add
 * under {@link #QUIET_MS} of JIT compilation time ({@link CompilationMXBean#getTotalCompilationTime},
 * the compiler threads' total, read before and after the round), at most {@link #CAP} rounds.
 * Why not stop at the first quiet round: measured (round 18, a matrix launch), token's first round
 * after five other workloads added 3 ms and stopped there, and its timed rows then read its lowest
 * 2-thread ratio of the round; a round can be quiet because the next compilation's counters have
 * not crossed their threshold yet. Compilation runs on its own threads and may finish after the
 * round that queued it; the next round then still reads it.
 */
final class WarmUp {
    /** A round adding less JIT compilation than this ends the warm-up. */
    static final double QUIET_MS = 5;
    /**
     * Rounds at most (a block whose rounds never go quiet is measured after these). Was 30 until
     * round 20: transfer/10000 hit it in every launch, and its timed reps then carried 174-225 ms of
     * C2 recompiling the two-worker run loop (`DagRun.claimCursor`, `runFrom`, `Waiters.finish`
     * made not entrant and compiled again; -XX:+PrintCompilation), against 4-13 ms after 150
     * rounds (docs/PERFORMANCE.md, round 20, branch xfer20). A transfer round of five engines
     * takes ~50 ms, so the cap costs at most ~10 s per block.
     */
    static final int CAP = 200;
    /** Rounds at least: the fixed default's. */
    static final int MIN_ROUNDS = 3;
    /**
     * Quiet rounds in a row that end the warm-up. Was 2 until round 20: a recompilation after a
     * deoptimisation adds a few ms, so two quiet rounds could still come before the run loop's
     * last recompilation (see {@link #CAP}).
     */
    static final int QUIET_IN_A_ROW = 5;

    /** What a warm-up did: rounds run, the last one's JIT compilation ms (NaN: not read), whether it went quiet. */
    record Rounds(int rounds, double lastJitMs, boolean quiet) {
        @Override
        public String toString() {
            return Double.isNaN(lastJitMs) ? rounds + " rounds"
                    : String.format(java.util.Locale.ROOT, "%d rounds (last +%.1f ms JIT%s)", rounds, lastJitMs, quiet ? "" : ", cap reached");
        }
    }

    private WarmUp() {
    }

    /** {@code rounds} rounds, no JIT reading ({@code --warmup N}). */
    static Rounds fixed(Runnable round, int rounds) {
        for (int i = 0; i < rounds; i++) {
            round.run();
        }
        return new Rounds(rounds, Double.NaN, false);
    }

    /**
     * Runs {@code round} at least {@link #MIN_ROUNDS} times and until {@link #QUIET_IN_A_ROW}
     * rounds in a row each add under {@code quietMs} of compilation time as read by
     * {@code jitMillis}, at most {@code cap} rounds; {@code jitMillis} null (a JVM without
     * compilation time monitoring): {@link EngineBenchOptions#warmupRounds}' fixed count.
     */
    static Rounds untilQuiet(Runnable round, LongSupplier jitMillis, double quietMs, int cap) {
        if (jitMillis == null) {
            return fixed(round, EngineBenchOptions.SIDE_WARMUP);
        }
        double added = Double.NaN;
        for (int rounds = 1, quiet = 0; rounds <= cap; rounds++) {
            long before = jitMillis.getAsLong();
            round.run();
            added = jitMillis.getAsLong() - before;
            quiet = added < quietMs ? quiet + 1 : 0;
            if (quiet >= QUIET_IN_A_ROW && rounds >= MIN_ROUNDS) {
                return new Rounds(rounds, added, true);
            }
        }
        return new Rounds(cap, added, false);
    }

    /** This JVM's total JIT compilation ms, or null when it does not monitor compilation time. */
    static LongSupplier jitMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : null;
    }
}
