package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The hand-off probe of {@code bench engine}: a figure, never a timing assertion. */
class CoreHandOffTest {

    @Test
    void aRunPassesTheLineBackAndForthAndGivesNanosPerHandOff() {
        double ns = CoreHandOff.oneRun(2_000);
        // both threads took part (a run cut off with nothing done would be infinite) and time passed
        assertThat(ns).isPositive().isFinite();
    }

    @Test
    void theLineSaysWhenTheTwoThreadsSharedOneVcpu() {
        assertThat(CoreHandOff.line(64.4, 231.6))
                .startsWith("core hand-off (one cache line passed between two spinning threads, ns one way, fastest of 5 runs): before 64, after 232: ")
                .contains("near minutes");
        assertThat(CoreHandOff.line(80, 12_000)).contains("shared one vCPU");
    }
}
