package io.bitquan.flow.jobs.job.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The calibrator's phases and its loop. No speed is asserted (the host's is what it measures); only
 * that every phase gets a finite, positive reading, in order, and that a reading is taken once.
 */
class HostCalibratorTest {

    @Test
    void everyPhaseGetsAReadingEvenWhenShorterThanThePeriod() {
        try (HostCalibrator calibrator = HostCalibrator.start()) {
            calibrator.begin("reference");
            calibrator.end();
            calibrator.begin("first job");
            calibrator.begin("warm job"); // opening a phase closes the open one
            calibrator.end();
            calibrator.end(); // nothing open: no effect
            HostReading reading = calibrator.takeReading();
            assertThat(reading.phases()).extracting(HostReading.Phase::name)
                    .containsExactly("reference", "first job", "warm job");
            // "first job" was closed by begin, not by end: it may have no sample; the others have one each
            assertThat(reading.phases().get(0).samples()).hasSize(1);
            assertThat(reading.phases().get(0).samples()[0]).isPositive().isFinite();
            assertThat(reading.phases().get(2).samples()).hasSize(1);
            assertThat(reading.phases().get(2).samples()[0]).isPositive().isFinite();
            assertThat(reading.line()).startsWith("host: reference ").contains(", warm job ");
            assertThat(calibrator.takeReading().phases()).isEmpty();
        }
    }

    @Test
    void theLoopIsDeterministicAndDependsOnItsInput() {
        assertThat(HostCalibrator.steps(1000, 3)).isEqualTo(HostCalibrator.steps(1000, 3));
        assertThat(HostCalibrator.steps(1000, 3)).isNotEqualTo(HostCalibrator.steps(1000, 4));
        assertThat(HostCalibrator.steps(1000, 3)).isNotEqualTo(HostCalibrator.steps(1001, 3));
    }
}
