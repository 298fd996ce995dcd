package io.bitquan.flow.jobs.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The host calibrator's arithmetic on given samples: medians, the line, the 10 % warning. No clock is read. */
class HostReadingTest {

    @Test
    void medianOfOddEvenAndNoSamples() {
        assertThat(HostReading.median(new double[] {1.9, 1.5, 1.6})).isEqualTo(1.6);
        assertThat(HostReading.median(new double[] {2.0, 1.5, 1.6, 1.4})).isCloseTo(1.55, within(1e-12));
        assertThat(HostReading.median(new double[] {1.7})).isEqualTo(1.7);
        assertThat(HostReading.median(new double[0])).isNaN();
    }

    @Test
    void medianDoesNotReorderTheSamples() {
        double[] samples = {2.0, 1.5, 1.6};
        HostReading.Phase phase = new HostReading.Phase("reference", samples);
        assertThat(phase.median()).isEqualTo(1.6);
        assertThat(phase.samples()).containsExactly(2.0, 1.5, 1.6);
    }

    @Test
    void lineNamesEveryPhaseWithMedianMinMaxAndCount() {
        HostReading reading = new HostReading(List.of(
                new HostReading.Phase("reference", new double[] {1.52, 1.49, 1.60}, "17:51:02-17:51:24"),
                new HostReading.Phase("first job", new double[] {1.71}),
                new HostReading.Phase("warm job", new double[0])));
        assertThat(reading.line()).isEqualTo("host: reference 1.52 ns/step (min 1.49, max 1.60, 3 samples, 17:51:02-17:51:24),"
                + " first job 1.71 ns/step (min 1.71, max 1.71, 1 samples), warm job no sample");
    }

    @Test
    void warnsOnlyAboveTenPercentBetweenTheFastestAndSlowestPhase() {
        assertThat(HostReading.moved(1.50, 1.65)).isFalse(); // exactly 10 %: one level
        assertThat(HostReading.moved(1.50, 1.66)).isTrue();
        assertThat(HostReading.moved(1.50, 1.40)).isFalse();

        HostReading oneLevel = new HostReading(List.of(
                new HostReading.Phase("reference", new double[] {1.50, 1.52}),
                new HostReading.Phase("warm job", new double[] {1.58, 1.55, 1.60})));
        assertThat(oneLevel.warning()).isEmpty();

        // the reference at the fast level, the warm job mostly at the slow one: its median says so
        HostReading moved = new HostReading(List.of(
                new HostReading.Phase("reference", new double[] {1.50, 1.49, 1.51}),
                new HostReading.Phase("first job", new double[] {1.55}),
                new HostReading.Phase("warm job", new double[] {1.50, 2.10, 2.06, 2.20})));
        assertThat(moved.warning()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("host: WARNING the host's speed moved between phases")
                .contains("reference 1.50", "warm job 2.08", "+39 %", "the ratio is not comparable"));
    }

    @Test
    void phasesWithoutSamplesAreLeftOutOfTheWarning() {
        HostReading reading = new HostReading(List.of(
                new HostReading.Phase("reference", new double[] {1.50}),
                new HostReading.Phase("first job", new double[0])));
        assertThat(reading.warning()).isEmpty();
        assertThat(new HostReading(List.of()).warning()).isEmpty();
        assertThat(new HostReading(List.of()).line()).isEqualTo("host: no phase measured");
    }
}
