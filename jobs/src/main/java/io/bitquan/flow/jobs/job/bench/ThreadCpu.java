package io.bitquan.flow.jobs.job.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time per thread of this JVM, and time spent runnable but waiting for a CPU, read from
 * {@code /proc/self/task/<tid>/schedstat} (Linux; nanoseconds on CPU, nanoseconds waiting on a run
 * queue). Unlike JFR execution samples or {@code ThreadMXBean}, it sees the JIT compiler and GC
 * threads and costs nothing while the measured code runs, so it attributes a busy job's CPU
 * cheaply; the run-queue wait says how much of a thread's wall time a loaded machine took from it.
 * Sample before and after (and often enough in between that threads which end in the window,
 * e.g. Flink task threads of a finished job, are counted up to their last sample).
 * Measurement only: nothing here feeds a result.
 */
public final class ThreadCpu {
    private static final Path TASKS = Path.of("/proc/self/task");

    /** tid -> group name; tid -> {cpu ns, wait ns} at the first sample of the window and the latest. */
    private final Map<String, String> groupOf = new HashMap<>();
    private final Map<String, long[]> first = new HashMap<>();
    private final Map<String, long[]> last = new HashMap<>();
    private boolean started;

    /** Whether this platform has /proc per-thread scheduler statistics (else every report is empty). */
    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/schedstat"));
    }

    /**
     * Reads every live thread once. The first call opens the window: threads alive then count from
     * that reading; threads born later count from zero.
     */
    public synchronized void sample() {
        if (!available()) {
            return;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String tid = task.getFileName().toString();
                String[] sched;
                String comm;
                try {
                    sched = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    comm = Files.readString(task.resolve("comm")).trim();
                } catch (IOException gone) {
                    continue; // the thread ended between the listing and the read
                }
                long[] now = {Long.parseLong(sched[0]), Long.parseLong(sched[1])};
                groupOf.putIfAbsent(tid, group(comm));
                first.putIfAbsent(tid, started ? new long[2] : now);
                last.put(tid, now);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        started = true;
    }

    /** Per thread group since the first sample: {CPU seconds, run-queue wait seconds}, most CPU first. */
    public synchronized Map<String, double[]> byGroup() {
        Map<String, double[]> groups = new HashMap<>();
        for (Map.Entry<String, long[]> e : last.entrySet()) {
            long[] from = first.get(e.getKey());
            double[] g = groups.computeIfAbsent(groupOf.get(e.getKey()), k -> new double[2]);
            g[0] += (e.getValue()[0] - from[0]) / 1e9;
            g[1] += (e.getValue()[1] - from[1]) / 1e9;
        }
        Map<String, double[]> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().filter(e -> e.getValue()[0] > 0)
                .sorted((a, b) -> Double.compare(b.getValue()[0], a.getValue()[0]))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /**
     * A thread's group: its name (the kernel keeps 15 characters) without the numbers that tell
     * instances apart, so "C2 CompilerThre" and "C1 CompilerThre" stay apart while "block-executor
     * (1/2)#0" and "(2/2)#0", or Kafka's "data-plane-kafka-request-handler-3", fold together.
     */
    static String group(String comm) {
        String g = comm.replaceAll("\\s*\\(.*$", "")     // Flink's "(1/2)#0" subtask suffix
                .replaceAll("[-_# ]*\\d+$", "")            // trailing instance numbers
                .replaceAll("-\\d+-", "-")                 // pool-3-thread-1 style
                .trim();
        return g.isEmpty() ? comm.trim() : g;
    }

    /**
     * One line: the JVM's own overhead over the window, JIT compiler threads and garbage collection
     * (GC worker, G1 concurrent / refinement, VM thread for safepoint work), against the total:
     * the part of the job's CPU that tuning JVM flags could move.
     */
    public String overheadLine() {
        double jit = 0;
        double gc = 0;
        double total = 0;
        for (Map.Entry<String, double[]> e : byGroup().entrySet()) {
            String g = e.getKey();
            double cpu = e.getValue()[0];
            total += cpu;
            if (g.startsWith("C1 Compiler") || g.startsWith("C2 Compiler")) {
                jit += cpu;
            } else if (g.startsWith("GC Thread") || g.startsWith("G1 ") || g.startsWith("VM Thread")
                    || g.startsWith("ParGC") || g.startsWith("VM Periodic")) {
                gc += cpu;
            }
        }
        return String.format("JVM overhead: JIT (C1+C2) %.1f s (%.0f%%), GC and VM thread %.1f s (%.0f%%) of %.1f s",
                jit, total == 0 ? 0 : 100 * jit / total, gc, total == 0 ? 0 : 100 * gc / total, total);
    }

    /**
     * The report lines: one row per group above {@code minShare} of the total CPU, the rest as
     * "other". "waiting for a CPU" is time the group's threads were runnable while others had the
     * cores (this JVM's other threads or other processes on a shared machine).
     */
    public List<String> table(double minShare) {
        Map<String, double[]> groups = byGroup();
        double total = groups.values().stream().mapToDouble(g -> g[0]).sum();
        List<String> rows = new java.util.ArrayList<>();
        rows.add("| thread group | cpu s | share | waiting for a CPU s |");
        rows.add("|---|---|---|---|");
        double[] other = new double[2];
        double waits = 0;
        for (Map.Entry<String, double[]> e : groups.entrySet()) {
            double[] g = e.getValue();
            waits += g[1];
            if (g[0] < minShare * total) {
                other[0] += g[0];
                other[1] += g[1];
            } else {
                rows.add(String.format("| %s | %.1f | %.0f%% | %.1f |", e.getKey(), g[0], 100 * g[0] / total, g[1]));
            }
        }
        if (other[0] > 0) {
            rows.add(String.format("| other | %.1f | %.0f%% | %.1f |", other[0], 100 * other[0] / total, other[1]));
        }
        rows.add(String.format("| total | %.1f | 100%% | %.1f |", total, waits));
        return rows;
    }
}
