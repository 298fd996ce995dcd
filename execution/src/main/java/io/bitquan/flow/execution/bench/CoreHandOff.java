package io.bitquan.flow.execution.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How long one cache line takes to pass from one thread's core to the other's, now (round 20):
 * two spinning threads hand a counter back and forth through one line, each waiting for the
 * other's increment; the time per one-way hand-off is printed beside a launch's CPU share.
 *
 * <p>Why: tok20 (docs/PERFORMANCE.md, round 20) measured the hand-off between this VM's two
 * vCPUs at 60-90 ns in some minutes and 206-253 ns in others (docs/probes/PingPong.c, threads
 * pinned one per vCPU), and token's two-worker ratio followed it: 1.26-1.52x with the fallback off
 * at ~60 ns, 0.8-1.0x at 210-250 ns, base and branch alike. Block-STM's workers pay about one
 * hand-off per shared counter update or value another worker wrote last, the sequential engine
 * none, so a launch's 2-thread rows can only be read beside it. Java cannot pin threads, so the
 * two spinners are where the kernel puts them; with both vCPUs free two spinning threads run on
 * different ones. If they share one, a hand-off waits for a time slice: the run is cut off at
 * {@link #RUN_DEADLINE_NANOS} and its figure is then far above any cross-core one, which the
 * line says too.
 */
final class CoreHandOff {
    /** Round trips per run: ~20 ms at 200 ns a hand-off. */
    static final int TRIPS = 50_000;
    static final int RUNS = 5;
    /** A run still going after this is cut off (the two spinners share a vCPU). */
    static final long RUN_DEADLINE_NANOS = 200_000_000L;
    /** Above this many ns one way the two threads did not run on two vCPUs at once. */
    static final double SHARED_VCPU_NS = 5_000;

    private CoreHandOff() {
    }

    /**
     * The fastest of {@link #RUNS} runs, in ns per one-way hand-off. Not the median: another thread
     * on one of the two vCPUs (at a launch's start, the JIT's compiler threads) only ever adds time,
     * and the first launches of round 20 read 305-322 ns with the median where PingPong.c read
     * 209-223 ns in the same minute.
     */
    static double measureNanos() {
        oneRun(TRIPS / 10); // the loops compiled before the runs that count
        double[] runs = new double[RUNS];
        for (int r = 0; r < RUNS; r++) {
            runs[r] = oneRun(TRIPS);
        }
        Arrays.sort(runs);
        return runs[0];
    }

    /** ns per one-way hand-off over {@code trips} round trips (or over those done by the deadline). */
    static double oneRun(int trips) {
        // index 8: the counter alone on its line (an AtomicLongArray's elements are contiguous longs)
        AtomicLongArray line = new AtomicLongArray(24);
        int at = 8;
        long stop = 2L * trips;
        Thread other = new Thread(() -> {
            long deadline = System.nanoTime() + RUN_DEADLINE_NANOS;
            for (long expect = 1; expect < stop; expect += 2) {
                while (line.get(at) != expect) {
                    if (line.get(at) < 0 || System.nanoTime() > deadline) {
                        line.set(at, -1);
                        return;
                    }
                    Thread.onSpinWait();
                }
                line.incrementAndGet(at);
            }
        }, "bench-handoff");
        other.setDaemon(true);
        other.start();
        long start = System.nanoTime();
        long deadline = start + RUN_DEADLINE_NANOS;
        long done = 0;
        for (long expect = 0; expect < stop; expect += 2) {
            long v;
            while ((v = line.get(at)) != expect) {
                if (v < 0 || System.nanoTime() > deadline) {
                    line.set(at, -1);
                    expect = stop; // leave both loops
                    break;
                }
                Thread.onSpinWait();
            }
            if (expect < stop) {
                line.incrementAndGet(at);
                done += 2;
            }
        }
        long elapsed = System.nanoTime() - start;
        try {
            other.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return done == 0 ? Double.POSITIVE_INFINITY : (double) elapsed / done;
    }

    /** The line printed after the CPU share: the hand-off before and after the launch's rows. */
    static String line(double before, double after) {
        String verdict = Math.max(before, after) > SHARED_VCPU_NS
                ? "above " + (long) SHARED_VCPU_NS + " ns: the two threads shared one vCPU at least once"
                : "round 20 read 60-90 ns in the VM's near minutes and 206-253 ns in its far ones (tok20)";
        return String.format(Locale.ROOT,
                "core hand-off (one cache line passed between two spinning threads, ns one way, fastest of %d runs): before %.0f, after %.0f: %s",
                RUNS, before, after, verdict);
    }
}
