package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.ParallelPayoff.Interference;
import io.bitquan.flow.execution.blockstm.ParallelPayoff.Kind;
import io.bitquan.flow.execution.blockstm.ParallelPayoff.Why;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Round 18's rule of the payoff check, driven with made-up timings (no clock): a run that another
 * task or the JIT disturbed is left out of its way's estimate, a probe left out is run again on
 * the next block, and at most {@link ParallelPayoff#MAX_LEFT_OUT} runs of a way in a row are left
 * out.
 */
class ParallelPayoffDisturbanceTest {
    private static final int TXS = 1_000;
    private static final int THREADS = 2;

    /** One block's timing: its wall, the JIT's compile time and the run-queue wait of its threads. */
    private record Timing(double ms, long jitMs, double queuedMs) {
        static Timing clean(double ms) {
            return new Timing(ms, 0, 0);
        }

        long nanos() {
            return (long) (ms * 1e6);
        }

        Interference interference() {
            return new Interference((long) (queuedMs * 1e6), jitMs);
        }
    }

    /** Runs the next block of a kind at the timing given for its way; returns the way. */
    private static boolean run(ParallelPayoff payoff, Timing parallel, Timing inOrder) {
        boolean way = payoff.parallel(Kind.OPTIMISTIC);
        Timing t = way ? parallel : inOrder;
        payoff.record(Kind.OPTIMISTIC, way, t.nanos(), TXS, false, way ? THREADS : 1, t.interference());
        return way;
    }

    /**
     * Runs {@code blocks} blocks whose n-th run of each way takes the n-th timing of that way (the
     * last repeated); {@code withInterference} false feeds the same walls as undisturbed (the rule
     * before round 18).
     */
    private static List<Boolean> scripted(ParallelPayoff payoff, int blocks, Timing[] parallel, Timing[] inOrder,
                                          boolean withInterference) {
        List<Boolean> ways = new ArrayList<>();
        int p = 0;
        int o = 0;
        for (int i = 0; i < blocks; i++) {
            boolean way = payoff.parallel(Kind.OPTIMISTIC);
            Timing t = way ? parallel[Math.min(p++, parallel.length - 1)] : inOrder[Math.min(o++, inOrder.length - 1)];
            Interference seen = withInterference ? t.interference() : Interference.NONE;
            payoff.record(Kind.OPTIMISTIC, way, t.nanos(), TXS, false, way ? THREADS : 1, seen);
            ways.add(way);
        }
        return ways;
    }

    private static int count(List<Boolean> ways, boolean way) {
        return (int) ways.stream().filter(w -> w == way).count();
    }

    @Test
    void aRunIsDisturbedByTheRunQueueOrTheJitAboveTheirShares() {
        long wall = 20_000_000; // 20 ms
        long queuedAtShare = (long) (ParallelPayoff.QUEUED_SHARE * 2 * wall);
        long jitActive = (long) Math.ceil(ParallelPayoff.JIT_ACTIVE_SHARE * wall / 1e6);
        assertThat(new Interference(queuedAtShare - 1_000, jitActive).disturbed(wall, 2)).isFalse();
        assertThat(new Interference(queuedAtShare, jitActive).disturbed(wall, 2)).isTrue();
        // a parallel run queued behind another process, the JIT quiet: what parallel costs there, kept
        assertThat(new Interference(2 * wall, 0).disturbed(wall, 2)).isFalse();
        assertThat(new Interference(2 * wall, jitActive - 1).disturbed(wall, 2)).isFalse();
        // an in-order run queued is disturbed whatever the JIT did; the wait is of its one thread's time
        assertThat(new Interference(queuedAtShare / 2, 0).disturbed(wall, 1)).isTrue();
        assertThat(new Interference(queuedAtShare / 2 - 1_000, 0).disturbed(wall, 1)).isFalse();
        long jitAtShare = (long) (ParallelPayoff.COMPILE_SHARE * wall / 1e6);
        assertThat(new Interference(0, jitAtShare).disturbed(wall, 2)).isTrue();
        assertThat(new Interference(0, jitAtShare - 1).disturbed(wall, 2)).isFalse();
        // an in-order run leaves the compiler threads the other vCPU: the JIT alone does not disturb it
        assertThat(new Interference(0, 10 * jitAtShare).disturbed(wall, 1)).isFalse();
        assertThat(Interference.NONE.disturbed(1, 1)).isFalse();
    }

    /** The opening's first parallel run met the JIT: it is left out and parallel runs again. */
    @Test
    void aDisturbedOpeningRunIsLeftOutAndTheSameWayRunsAgain() {
        ParallelPayoff payoff = new ParallelPayoff();
        assertThat(payoff.parallel(Kind.OPTIMISTIC)).isTrue();
        assertThat(payoff.record(Kind.OPTIMISTIC, true, 200_000_000, TXS, false, THREADS, new Interference(0, 300)))
                .isFalse();
        assertThat(payoff.lastKept(Kind.OPTIMISTIC)).isFalse();
        assertThat(payoff.estimate(Kind.OPTIMISTIC, true)).isNaN();
        assertThat(payoff.parallel(Kind.OPTIMISTIC)).isTrue();
        assertThat(payoff.why(Kind.OPTIMISTIC)).isEqualTo(Why.OPENING);
        assertThat(payoff.record(Kind.OPTIMISTIC, true, 20_000_000, TXS, false, THREADS, Interference.NONE)).isTrue();
        assertThat(payoff.estimate(Kind.OPTIMISTIC, true)).isEqualTo(20_000.0);
        assertThat(payoff.parallel(Kind.OPTIMISTIC)).isFalse(); // the opening goes on, in order now
    }

    /**
     * In order is chosen (parallel 1,100 against 1,000 per tx, not a clear difference), and the
     * first probe lands on a busy moment: 3,000 with half its threads' time in the run queue while
     * the JIT compiled (1 ms of its 3). Left
     * out, it is probed again on the next block, which runs undisturbed at 700, wins and starts a
     * series. Fed as undisturbed, the same probe confirms in order and doubles the interval.
     */
    @Test
    void aDisturbedProbeIsRunAgainOnTheNextBlock() {
        Timing[] parallel = {Timing.clean(1.1), Timing.clean(1.1), Timing.clean(1.1), new Timing(3.0, 1, 3.0),
            Timing.clean(0.7)};
        Timing[] inOrder = {Timing.clean(1.0)};
        int probe = 2 * ParallelPayoff.OPENING + ParallelPayoff.FIRST_PROBE_INTERVAL - 1;

        ParallelPayoff payoff = new ParallelPayoff();
        List<Boolean> ways = scripted(payoff, probe + 1, parallel, inOrder, true);
        assertThat(ways.get(probe)).isTrue();
        assertThat(payoff.why(Kind.OPTIMISTIC)).isEqualTo(Why.PROBE);
        assertThat(payoff.lastKept(Kind.OPTIMISTIC)).isFalse();
        assertThat(payoff.estimate(Kind.OPTIMISTIC, true)).isEqualTo(1_100.0);
        assertThat(run(payoff, Timing.clean(0.7), Timing.clean(1.0))).isTrue();
        assertThat(payoff.why(Kind.OPTIMISTIC)).isEqualTo(Why.PROBE_AGAIN);
        assertThat(run(payoff, Timing.clean(0.7), Timing.clean(1.0))).isTrue(); // the series: 700 won
        assertThat(payoff.why(Kind.OPTIMISTIC)).isEqualTo(Why.PROBE);
        assertThat(payoff.estimate(Kind.OPTIMISTIC, true)).isEqualTo(700.0);

        ParallelPayoff before = new ParallelPayoff();
        scripted(before, probe + 1, parallel, inOrder, false);
        assertThat(before.estimate(Kind.OPTIMISTIC, true)).isEqualTo(1_100.0);
        List<Boolean> next = new ArrayList<>();
        for (int i = 0; i < 2 * ParallelPayoff.FIRST_PROBE_INTERVAL - 1; i++) {
            next.add(run(before, Timing.clean(0.7), Timing.clean(1.0)));
        }
        assertThat(next).containsOnly(false); // the disturbed probe confirmed in order
    }

    /**
     * A JIT that never settles disturbs every parallel run: only two in a row are left out, the
     * third is kept, so the opening ends and in order (1,000 against 1,500) is chosen; afterwards
     * parallel runs only as probes, each at most three blocks long.
     */
    @Test
    void atMostTwoRunsOfAWayInARowAreLeftOut() {
        ParallelPayoff payoff = new ParallelPayoff();
        Timing busyParallel = new Timing(1.5, 1, 1.5);
        List<Boolean> ways = new ArrayList<>();
        List<Boolean> kept = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ways.add(run(payoff, busyParallel, Timing.clean(1.0)));
            kept.add(payoff.lastKept(Kind.OPTIMISTIC));
        }
        assertThat(ways.subList(0, 4)).containsExactly(true, true, true, false);
        assertThat(kept.subList(0, 4)).containsExactly(false, false, true, true);
        for (int i = 0; i + ParallelPayoff.MAX_LEFT_OUT < kept.size(); i++) {
            boolean allLeftOut = true;
            for (int j = i; j <= i + ParallelPayoff.MAX_LEFT_OUT; j++) {
                allLeftOut &= !kept.get(j);
            }
            assertThat(allLeftOut).as("three runs in a row left out from block " + i).isFalse();
        }
        assertThat(payoff.parallel(Kind.OPTIMISTIC)).isFalse();
        // the opening, then probes of three blocks each at doubling intervals
        assertThat(count(ways, true)).isLessThanOrEqualTo(3 * ParallelPayoff.OPENING + 3 * 6);
    }

    /**
     * Round 18's launch mB1 (other sessions busy), transfers: every parallel run waited in the
     * run queue for about its whole wall, one vCPU shared by the two workers, with no compilation;
     * parallel cost 1.5x of in order. Those runs are kept (what parallel costs on that machine),
     * so the opening ends after two runs each and parallel runs only as single probes (the
     * branch's first build left them out and repeated each probe three times: 0.93x).
     */
    @Test
    void aParallelRunQueuedBehindAnotherProcessIsKept() {
        ParallelPayoff payoff = new ParallelPayoff();
        List<Boolean> ways = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ways.add(run(payoff, new Timing(1.5, 0, 2.9), Timing.clean(1.0)));
            assertThat(payoff.lastKept(Kind.OPTIMISTIC)).isTrue();
        }
        int probe = 2 * ParallelPayoff.EARLY_OPENING + ParallelPayoff.CLEAR_PROBE_INTERVAL - 1;
        assertThat(ways.subList(0, probe + 2)).containsExactly(true, false, true, false, false, false, false, false,
                false, false, false, true, false);
    }

    /**
     * A busy in-order run is left out too, and a kept one still decides: the rules of the
     * comparison are unchanged (parallel loses by 10 %, in order is kept).
     */
    @Test
    void disturbedInOrderRunsDoNotMakeALosingParallelWayWin() {
        ParallelPayoff payoff = new ParallelPayoff();
        int inOrderRuns = 0;
        List<Boolean> ways = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            boolean way = payoff.parallel(Kind.OPTIMISTIC);
            // every other in-order run lands on a busy vCPU: twice as long, and queued for it
            Timing t = way ? Timing.clean(1.1) : inOrderRuns++ % 2 == 1 ? new Timing(2.0, 0, 1.0) : Timing.clean(1.0);
            payoff.record(Kind.OPTIMISTIC, way, t.nanos(), TXS, false, way ? THREADS : 1, t.interference());
            ways.add(way);
        }
        assertThat(payoff.estimate(Kind.OPTIMISTIC, false)).isEqualTo(1_000.0);
        assertThat(count(ways.subList(6, 60), true)).isLessThanOrEqualTo(4); // probes only
        assertThat(payoff.parallel(Kind.OPTIMISTIC)).isFalse();
    }

    /**
     * Round 18, this branch's launch d2 (base build, `--workloads token:10000,token-listed:10000
     * --warmup 3`, loaded: cpu share 1.97 / 1.38), token/10000, the defaults' blocks from the
     * payoff log: wall ms, compile ms, run-queue ms of the block's threads. Parallel's first runs
     * met the JIT and a busy vCPU (208.5 / 306 / 174.8, 62.6 / 22 / 55.1, 55.2 / 62 / 48.0,
     * 51.8 / 44 / 26.4, 45.8 / 14 / 33.7); in order ran 24-44 ms. Warm and undisturbed, the same
     * engine's parallel blocks ran 17-28 ms (launch base1's token probes and series, jit 0). Before
     * round 18 the disturbed runs decided: 12 of the bench's 15 timed blocks (its 5th to 19th) ran
     * in order. Leaving them out, the opening waits for undisturbed runs and most timed blocks run
     * parallel.
     */
    @Test
    void tokenAtWarmupThreeGoesParallelOnceItsRunsAreUndisturbed() {
        Timing[] parallel = {new Timing(208.5, 306, 174.8), new Timing(62.6, 22, 55.1), new Timing(55.2, 62, 48.0),
            new Timing(51.8, 44, 26.4), new Timing(45.8, 14, 33.7), Timing.clean(21.1), Timing.clean(17.2),
            Timing.clean(27.7), Timing.clean(17.8), Timing.clean(25.4), Timing.clean(17.5)};
        Timing[] inOrder = {new Timing(43.9, 51, 0.25), new Timing(33.6, 195, 0.07), new Timing(36.9, 37, 4.5),
            new Timing(30.9, 27, 0), new Timing(34.1, 13, 1.9), new Timing(29.0, 7, 0), new Timing(27.8, 0, 0.1),
            new Timing(30.5, 13, 3.1), new Timing(27.7, 0, 0), new Timing(26.4, 0, 0), new Timing(24.3, 0, 0.5),
            new Timing(25.4, 0, 0.4), new Timing(29.1, 1, 0.5), new Timing(24.1, 10, 0.3)};
        List<Boolean> before = scripted(new ParallelPayoff(), 19, parallel, inOrder, false);
        List<Boolean> now = scripted(new ParallelPayoff(), 19, parallel, inOrder, true);
        int timedBefore = count(before.subList(4, 19), true);
        int timedNow = count(now.subList(4, 19), true);
        assertThat(timedBefore).isLessThanOrEqualTo(4);
        assertThat(timedNow).as(before + " / " + now).isGreaterThanOrEqualTo(9);
    }
}
