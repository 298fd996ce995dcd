package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code bench job} says when its heap is not a TaskManager's (-Xms below -Xmx; round 16). */
class HeapNoteTest {
    private static final long MB = 1L << 20;

    @Test
    void aHeapThatStartsSmallIsNamedWithTheFlagThatFixesIt() {
        assertThat(BenchJobCommand.heapNote(380 * MB, 6144 * MB)).hasValueSatisfying(note -> assertThat(note)
                .startsWith("heap: starts at 380 MB of 6144 MB")
                .contains("-Xms6144m"));
    }

    @Test
    void aHeapThatStartsFullOrUnknownSaysNothing() {
        assertThat(BenchJobCommand.heapNote(6144 * MB, 6144 * MB)).isEmpty();
        assertThat(BenchJobCommand.heapNote(-1, 6144 * MB)).isEmpty();
        assertThat(BenchJobCommand.heapNote(380 * MB, Long.MAX_VALUE)).isEmpty();
    }
}
