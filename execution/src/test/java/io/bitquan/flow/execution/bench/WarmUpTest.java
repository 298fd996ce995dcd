package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code --warmup auto} on a made-up JIT clock: each round adds the compilation the test says. */
class WarmUpTest {

    /** A round that adds {@code added[i]} ms of compilation in round i (the last value from then on). */
    private static WarmUp.Rounds warm(long... added) {
        AtomicLong jit = new AtomicLong(1000);
        AtomicInteger round = new AtomicInteger();
        return WarmUp.untilQuiet(() -> jit.addAndGet(added[Math.min(round.getAndIncrement(), added.length - 1)]), jit::get,
                WarmUp.QUIET_MS, WarmUp.CAP);
    }

    @Test
    void stopsAtTheFifthQuietRoundInARow() {
        assertThat(WarmUp.QUIET_IN_A_ROW).isEqualTo(5);
        WarmUp.Rounds r = warm(120, 40, 9, 5, 3, 4, 0, 1, 2, 7);
        // 5 is not under 5: the fifth round (3 ms) is the first quiet one, the ninth (2 ms) the fifth in a row
        assertThat(r.rounds()).isEqualTo(9);
        assertThat(r.lastJitMs()).isEqualTo(2.0);
        assertThat(r.quiet()).isTrue();
        assertThat(r.toString()).isEqualTo("9 rounds (last +2.0 ms JIT)");
        // a busy round after four quiet ones starts the count again
        assertThat(warm(50, 1, 1, 1, 1, 30, 2, 2, 2, 2, 2, 0).rounds()).isEqualTo(11);
    }

    @Test
    void neverWarmsLessThanTheFixedDefault() {
        // quiet from the first round (the code was compiled by an earlier block): the quiet rounds, never under 3
        assertThat(warm(0).rounds()).isEqualTo(WarmUp.QUIET_IN_A_ROW).isGreaterThanOrEqualTo(WarmUp.MIN_ROUNDS);
        assertThat(WarmUp.MIN_ROUNDS).isEqualTo(EngineBenchOptions.SIDE_WARMUP);
        assertThat(warm(3, 0, 200, 1, 1, 1, 1, 1).rounds()).isEqualTo(8);
    }

    @Test
    void stopsAtTheCapWhenCompilationNeverSettles() {
        WarmUp.Rounds r = warm(50, 6);
        assertThat(r.rounds()).isEqualTo(WarmUp.CAP);
        assertThat(r.quiet()).isFalse();
        assertThat(r.toString()).endsWith("cap reached)");
    }

    @Test
    void withoutCompilationTimesTheSideMeasurementsFixedCountIsUsed() {
        AtomicInteger rounds = new AtomicInteger();
        WarmUp.Rounds r = WarmUp.untilQuiet(rounds::incrementAndGet, null, WarmUp.QUIET_MS, WarmUp.CAP);
        assertThat(r.rounds()).isEqualTo(EngineBenchOptions.SIDE_WARMUP).isEqualTo(rounds.get());
        assertThat(WarmUp.fixed(rounds::incrementAndGet, 2).toString()).isEqualTo("2 rounds");
    }
}
