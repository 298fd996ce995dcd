package io.bitquan.flow.jobs.job.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The host core's speed, read beside a bench run (MEASUREMENT; issue 12, round 18). Round 17 (branch
 * jit17) found that the physical core under this VM's vCPUs slows by 1.1-1.7x for minutes at a time
 * (most likely a busy sibling hardware thread on the host, which the guest cannot see: no steal time,
 * no counters), and that an ML-DSA verify's CPU follows it 1:1. A job/standalone ratio whose
 * reference ran at one level and whose job at the other measures the host, not the job.
 *
 * <p>This is {@code docs/probes/HostSpeed.c} in the bench's own JVM: every {@link #PERIOD_MS} a
 * daemon thread runs {@link #TRIES} times {@link #STEPS} steps of eight interleaved rotate/xor
 * streams (register-only, high ILP like Keccak's rounds, so it sees execution ports taken by a
 * sibling; a latency-bound chain does not), times each by its own thread CPU clock and keeps the
 * fastest try (preemption and interrupts only add). About 4.5 ms every 2 s at the fast level:
 * ~0.2 % of one vCPU. Samples go to the phase open at the time ({@link #begin}); {@link #end}
 * closes it. What the samples say is {@link HostReading}'s.
 */
public final class HostCalibrator implements AutoCloseable {
    static final int STEPS = 1_000_000;
    static final int TRIES = 3;
    static final long PERIOD_MS = 2_000;

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Thread thread;
    private final List<HostReading.Phase> closed = new ArrayList<>(); // guarded by this
    private String open; // guarded by this; null between phases (samples then are dropped)
    private LocalTime openedAt; // guarded by this
    private List<Double> openSamples = new ArrayList<>(); // guarded by this
    private volatile boolean stopped;

    private HostCalibrator() {
        thread = new Thread(this::loop, "bench-host-speed");
        thread.setDaemon(true);
    }

    /** Starts the sampling thread (it compiles its loop first, so its first sample is compiled code). */
    public static HostCalibrator start() {
        HostCalibrator calibrator = new HostCalibrator();
        calibrator.thread.start();
        return calibrator;
    }

    /** Opens phase {@code name}: samples from now on are its (an open phase is closed first). */
    public synchronized void begin(String name) {
        if (open != null) {
            closeOpen();
        }
        open = name;
        openedAt = now();
        openSamples = new ArrayList<>();
    }

    /**
     * Closes the open phase. One shorter than the period got no sample from the thread: it is then
     * sampled once here, on the caller's thread, so that every phase has a reading.
     */
    public void end() {
        boolean empty;
        synchronized (this) {
            if (open == null) {
                return;
            }
            empty = openSamples.isEmpty();
        }
        double late = empty ? sample() : Double.NaN;
        synchronized (this) {
            if (empty && open != null) {
                openSamples.add(late);
            }
            closeOpen();
        }
    }

    /** The phases closed since the last call, in order (the next reading starts empty). */
    public synchronized HostReading takeReading() {
        HostReading reading = new HostReading(closed);
        closed.clear();
        return reading;
    }

    @Override
    public void close() {
        stopped = true;
        thread.interrupt();
    }

    private void closeOpen() {
        double[] samples = openSamples.stream().mapToDouble(Double::doubleValue).toArray();
        closed.add(new HostReading.Phase(open, samples, openedAt.format(CLOCK) + "-" + now().format(CLOCK)));
        open = null;
    }

    private void loop() {
        // Compile the step loop before the first sample (OSR first, then the method itself), so no phase reads
        // the interpreter: ~4 M steps, a few ms once compiled.
        long sink = 0;
        for (int i = 0; i < 200 && !stopped; i++) {
            sink += steps(20_000, i);
        }
        while (!stopped) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PERIOD_MS));
            if (stopped || Thread.currentThread().isInterrupted()) {
                break;
            }
            double nsPerStep = sample();
            synchronized (this) {
                if (open != null) {
                    openSamples.add(nsPerStep);
                }
            }
        }
        if (sink == 42) {
            System.out.print(""); // keeps the warm-up's result alive
        }
    }

    /**
     * The calibrator alone, as {@code docs/probes/HostSpeed.c} runs: one sample a second for {@code args[0]}
     * seconds (default 30), printed with the UTC time, to set this loop's ns per step beside the C probe's
     * on the same vCPU ({@code taskset -c N}; round 18 compared them so).
     */
    public static void main(String[] args) {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        long sink = 0;
        for (int i = 0; i < 200; i++) {
            sink += steps(20_000, i); // compiled before the first sample, as in the bench
        }
        for (int s = 0; s < seconds; s++) {
            System.out.printf(java.util.Locale.ROOT, "%s java %.3f ns/step%n", now().format(CLOCK), sample());
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
        }
        if (sink == 42) {
            System.out.print("");
        }
    }

    /** The fastest of {@link #TRIES} timed runs of {@link #STEPS} steps, in ns per step of this thread's CPU. */
    static double sample() {
        double best = Double.MAX_VALUE;
        long sink = 0;
        for (int t = 0; t < TRIES; t++) {
            long c0 = cpuNanos();
            sink += steps(STEPS, t);
            long c1 = cpuNanos();
            best = Math.min(best, (double) (c1 - c0) / STEPS);
        }
        if (sink == 42) {
            System.out.print("");
        }
        return best;
    }

    /**
     * HostSpeed.c's loop: eight streams, each step one rotate and two xors per stream, every stream
     * reading two others, so the eight chains run side by side and the loop is bound by the core's
     * ALU ports, not by latency. The result is returned so the JIT cannot drop the loop.
     */
    static long steps(int n, long seed) {
        long a = seed + 1;
        long b = 2;
        long c = 3;
        long d = 4;
        long e = 5;
        long f = 6;
        long g = 7;
        long h = 8;
        for (int i = 0; i < n; i++) {
            a ^= Long.rotateLeft(b, 13) ^ c;
            b ^= Long.rotateLeft(c, 7) ^ d;
            c ^= Long.rotateLeft(d, 17) ^ e;
            d ^= Long.rotateLeft(e, 29) ^ f;
            e ^= Long.rotateLeft(f, 3) ^ g;
            f ^= Long.rotateLeft(g, 41) ^ h;
            g ^= Long.rotateLeft(h, 11) ^ a;
            h ^= Long.rotateLeft(a, 23) ^ b;
        }
        return a ^ b ^ c ^ d ^ e ^ f ^ g ^ h;
    }

    /** UTC wall clock, for the phase windows only (a printed label: nothing is computed from it). */
    private static LocalTime now() {
        return LocalTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    }

    private static long cpuNanos() {
        return MX.isCurrentThreadCpuTimeSupported() ? MX.getCurrentThreadCpuTime() : System.nanoTime();
    }
}
