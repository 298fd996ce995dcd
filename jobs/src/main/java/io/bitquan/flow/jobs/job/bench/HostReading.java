package io.bitquan.flow.jobs.job.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The host calibrator's samples of one bench run, by phase (the standalone reference, the warm-up
 * job, each measured job), and what they say: one line of ns per step per phase, and a warning when
 * the measured phases ran at different host speeds (MEASUREMENT; docs/PERFORMANCE.md, round 17's
 * jit17 and round 18's job18). Pure arithmetic over given samples: {@link HostCalibrator} takes them.
 *
 * <p>Why a median per phase: each sample is already the minimum of a few tries (preemption and
 * interrupts only ever add time), and a phase that straddles a switch of the host's level should
 * read the level it spent most of its time at, not an average of two levels.
 */
public final class HostReading {

    /**
     * Phases whose medians differ by more than this fraction did not run at one host speed. Round 17
     * measured the host's two levels ~1.4x apart (1.4-1.7 against 2.0-2.3 ns per step) and a verify's
     * CPU following them 1:1, while a phase at one level reads within a few percent of itself; 10 %
     * therefore catches a switch that moved the phase's CPU per check by ~0.1 of job/standalone.
     */
    public static final double MOVED = 0.10;

    /**
     * One phase's samples in ns per step, in the order taken, and its wall-clock window (UTC
     * {@code HH:mm:ss-HH:mm:ss}, or empty), to set it beside an outside calibrator's log.
     */
    public record Phase(String name, double[] samples, String window) {
        public Phase {
            samples = samples.clone();
        }

        public Phase(String name, double[] samples) {
            this(name, samples, "");
        }

        @Override
        public double[] samples() {
            return samples.clone();
        }

        public double median() {
            return HostReading.median(samples);
        }

        public String summary() {
            String at = window.isEmpty() ? "" : ", " + window;
            if (samples.length == 0) {
                return name + " no sample" + (window.isEmpty() ? "" : " (" + window + ")");
            }
            return String.format(Locale.ROOT, "%s %.2f ns/step (min %.2f, max %.2f, %d samples%s)", name, median(),
                    min(samples), max(samples), samples.length, at);
        }
    }

    private final List<Phase> phases;

    public HostReading(List<Phase> phases) {
        this.phases = List.copyOf(phases);
    }

    public List<Phase> phases() {
        return phases;
    }

    /** {@code host: reference 1.52 ns/step (min 1.49, max 1.60, 20 samples), first job ...}. */
    public String line() {
        if (phases.isEmpty()) {
            return "host: no phase measured";
        }
        List<String> parts = new ArrayList<>();
        phases.forEach(p -> parts.add(p.summary()));
        return "host: " + String.join(", ", parts);
    }

    /**
     * The warning when the slowest phase's median exceeds the fastest's by more than {@link #MOVED}
     * (phases without samples are left out): then a ratio of those phases' times is partly the host's.
     */
    public Optional<String> warning() {
        Phase fast = null;
        Phase slow = null;
        for (Phase p : phases) {
            if (p.samples.length == 0) {
                continue;
            }
            if (fast == null || p.median() < fast.median()) {
                fast = p;
            }
            if (slow == null || p.median() > slow.median()) {
                slow = p;
            }
        }
        if (fast == null || !moved(fast.median(), slow.median())) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "host: WARNING the host's speed moved between phases (%s %.2f, %s %.2f ns/step, +%.0f %%): the ratio is not comparable",
                fast.name, fast.median(), slow.name, slow.median(), 100 * (slow.median() / fast.median() - 1)));
    }

    /** Whether {@code slow} is more than {@link #MOVED} above {@code fast} (both ns per step, fast > 0). */
    static boolean moved(double fast, double slow) {
        return slow > fast * (1 + MOVED);
    }

    /** The median; the mean of the two middle values for an even count; NaN for none. */
    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
