package io.bitquan.flow.execution.bench;

import java.util.Locale;

/**
 * The most a 2-thread row of one block can read, for the {@code (above ceiling)} flag of
 * {@code bench engine}: a row above it reads more than two threads can give the block, so the
 * table says so and the reader looks at the per-rep speedup and the ceiling table (round 18 saw
 * slowed sequential reps do it; the note names no cause).
 *
 * <p>The bound is the machine's 2-thread ceiling ({@link MachineCeiling}: two unshared copies of
 * the sequential run at once), except where the parallel machinery costs less than the sequential
 * engine at one worker ({@code machinery at 1 worker} below 0, {@link MachineryOverhead}): then
 * each worker does less work than a sequential copy and two workers may beat two sequential copies
 * by that much, so the bound is {@code ceiling / (1 + machinery)}. Round 18 (model18, launch L4)
 * found it on utxo: the predicted schedule builds a spend's keys and hashes once in its prediction
 * (machinery -28 to -32 %), and two workers read 2.22-2.27x per rep against a 1.91x ceiling with
 * the sequential reps at their usual speed; the bound there is ~2.7x. A machinery above 0 leaves the
 * ceiling as it is (a costlier path stays under it; the flag marks only what no run can reach).
 *
 * @param ceiling        the block's 2-thread ceiling; NaN when not measured (then nothing is flagged)
 * @param machineryAtOne (predicted or optimistic run at one worker / sequential) - 1; NaN when not
 *                       measured (then the ceiling is the bound)
 */
public record TwoThreadBound(double ceiling, double machineryAtOne) {
    /** No ceiling measured: no row is flagged. */
    public static final TwoThreadBound NONE = new TwoThreadBound(Double.NaN, Double.NaN);

    /** Whether the machinery makes the bound the ceiling / (1 + machinery) rather than the ceiling. */
    public boolean cheaperThanSequential() {
        // a ratio of two times is above 0, so machinery > -1; the check keeps a bad reading from dividing by <= 0
        return machineryAtOne < 0 && machineryAtOne > -1;
    }

    /** The bound (NaN when no ceiling was measured). */
    public double value() {
        return cheaperThanSequential() ? ceiling / (1 + machineryAtOne) : ceiling;
    }

    /** Whether a row reads above the bound: only a parallel engine's 2-thread row can. */
    public boolean exceededBy(String engine, int threads, double speedup) {
        double bound = value();
        return threads == 2 && !engine.equals("sequential") && !Double.isNaN(bound) && speedup > bound;
    }

    /** The bound and where it comes from, for the note under the table. */
    public String describe() {
        return cheaperThanSequential()
                ? String.format(Locale.ROOT, "%.2fx (the ceiling row's %.2fx / %.2f: machinery at 1 worker %+.0f %%)", value(), ceiling,
                        1 + machineryAtOne, 100 * machineryAtOne)
                : String.format(Locale.ROOT, "%.2fx (the ceiling row)", value());
    }
}
