// Probe (not a test), issue 11 round 13: where a 2-worker block's hand-off puts the two threads, and what it costs.
// For the bench's 10,000-tx ed25519 block, rep by rep: the sequential engine (as the bench interleaves engines, so the
// pool has been parked ~one block), then either
//   tiny   pool.run(2, job that only notes its entry): the bare hand-off, no block work
//   busy   pool.run(2, job in which each worker spins until 3 ms after the call): can two busy threads have both vCPUs
//   block  PredictedRun at 2 workers (what the engine runs with the fallback off), collect included
// and, per worker, read from the kernel (/proc/thread-self/stat field 39 = the vCPU it last ran on,
// /proc/thread-self/schedstat's run delay = ns runnable but waiting for a CPU; thread CPU time = ns on CPU):
//   the vCPU of the caller before pool.run, of each worker at its entry and at its exit; each worker's entry after the
//   call; ns on CPU and ns waiting on a run queue over its part of the job; worker 1's run-queue wait since its last
//   job ended (its wake-up's queueing), and the job's wall. "both on CPU" = (w0 + w1 on-CPU ns) / wall: 1.0 = the
//   block ran on one vCPU's worth of time, 2.0 = both workers on CPU for the whole wall.
// Rows are split by whether worker 1 entered on the caller's vCPU. Each /proc read costs ~10-20 us (in the job's wall).
// Run (after `mvn -B -q -o -DskipTests package`; any build's jar):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/HandOff.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.HandOff transfer:10000 41 [rows][quiet]
// "quiet" keeps only the reps in which no other task was runnable just before the call (procs_running in /proc/stat).
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.SequentialEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class HandOff {
    private static final Path STAT = Path.of("/proc/thread-self/stat");
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * {vCPU last run on, ns on CPU (the thread CPU clock: schedstat's run time is brought up to
     * date only at scheduling events), ns waiting on a run queue (schedstat's run delay, brought
     * up to date whenever the thread gets a CPU, so exact for the reading thread)} of the calling thread.
     */
    static long[] sched() {
        try {
            String stat = Files.readString(STAT);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String[] s = Files.readString(SCHEDSTAT).trim().split(" ");
            return new long[] {Long.parseLong(f[39 - 3]), MX.getCurrentThreadCpuTime(), Long.parseLong(s[1])};
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runnable tasks on the machine now, this thread included (/proc/stat procs_running). */
    static int running() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("procs_running ")) {
                    return Integer.parseInt(line.substring(14).trim());
                }
            }
            return -1;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        BenchWorkload w = BenchWorkload.parse(args[0]);
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 41;
        boolean rows = args.length > 2 && args[2].contains("rows");
        // "quiet": keep only the reps in which no other task was runnable on the machine just before the call
        // (procs_running), i.e. the other vCPU was free for worker 1: where the kernel puts it is then its own choice
        boolean quietOnly = args.length > 2 && args[2].contains("quiet");
        int skipped = 0;
        KeyCosts.Setup s = KeyCosts.setup(w);
        String[] names = {"seq ms", "wall ms", "w0 entry us", "w1 entry us", "w1 wake queue us", "w0 on-CPU ms", "w1 on-CPU ms",
                "w0 queued ms", "w1 queued ms", "both on CPU", "caller cpu", "w0 entry cpu", "w1 entry cpu", "w0 exit cpu", "w1 exit cpu",
                "w0 first tx ms", "w1 first tx ms", "w0 last tx end ms", "w1 last tx end ms", "w0 exit ms", "w1 exit ms", "w0 txs", "w1 txs", "others running"};
        int n = s.txs().size();
        java.util.Map<io.bitquan.flow.model.rules.PreparedTx, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(s.txs().get(i), i);
        }
        ThreadLocal<Integer> who = ThreadLocal.withInitial(() -> -1);
        int[] ranBy = new int[n];
        long[] txStart = new long[n];
        long[] txEnd = new long[n];
        long[] clock = new long[1];
        io.bitquan.flow.execution.vm.TransactionVm tracing = (tx, b, state) -> {
            int i = index.get(tx);
            ranBy[i] = who.get();
            txStart[i] = System.nanoTime() - clock[0];
            try {
                return s.vm().execute(tx, b, state);
            } finally {
                txEnd[i] = System.nanoTime() - clock[0];
            }
        };
        String[] modes = {"tiny", "busy", "block"};
        List<List<double[]>> same = new ArrayList<>();
        List<List<double[]>> other = new ArrayList<>();
        for (int m = 0; m < modes.length; m++) {
            same.add(new ArrayList<>());
            other.add(new ArrayList<>());
        }
        long[][] last = new long[2][];
        try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(s.vm())) {
            for (int r = -15; r < modes.length * reps; r++) {
                int mode = Math.floorMod(r, modes.length);
                long a = System.nanoTime();
                seq.execute(s.ctx(), s.txs(), s.base());
                double seqMs = (System.nanoTime() - a) / 1e6;
                PredictedRun run = mode != 2 ? null : new PredictedRun(s.ctx(), s.txs(), s.base(), tracing, 2);
                long[][] in = new long[2][];
                long[][] out = new long[2][];
                long[] entry = new long[2];
                int others = running() - 1;
                long[] before = sched();
                long[] exit = new long[2];
                long origin = System.nanoTime();
                clock[0] = origin;
                pool.run(2, (worker, stop) -> {
                    entry[worker] = System.nanoTime() - origin;
                    who.set(worker);
                    in[worker] = sched();
                    if (run != null) {
                        run.work(worker, stop);
                    } else if (mode == 1) {
                        while (System.nanoTime() - origin < 3_000_000) {
                            Thread.onSpinWait();
                        }
                    }
                    out[worker] = sched();
                    exit[worker] = System.nanoTime() - origin;
                });
                long wall = System.nanoTime() - origin;
                if (run != null) {
                    run.collect(pool, 2);
                }
                double wake = last[1] == null ? 0 : (in[1][2] - last[1][2]) / 1e3;
                last = out;
                if (r < 0) {
                    continue;
                }
                double[] first = {0, 0};
                double[] lastEnd = {0, 0};
                int[] txs = new int[2];
                if (run != null) {
                    long[] f = {Long.MAX_VALUE, Long.MAX_VALUE};
                    long[] l = new long[2];
                    for (int t = 0; t < n; t++) {
                        int k = ranBy[t];
                        f[k] = Math.min(f[k], txStart[t]);
                        l[k] = Math.max(l[k], txEnd[t]);
                        txs[k]++;
                    }
                    for (int k = 0; k < 2; k++) {
                        first[k] = txs[k] == 0 ? 0 : f[k] / 1e6;
                        lastEnd[k] = l[k] / 1e6;
                    }
                }
                double on0 = (out[0][1] - before[1]) / 1e6;
                double on1 = (out[1][1] - in[1][1]) / 1e6;
                double[] row = {seqMs, wall / 1e6, entry[0] / 1e3, entry[1] / 1e3, wake, on0, on1,
                        (out[0][2] - before[2]) / 1e6, (out[1][2] - in[1][2]) / 1e6, (on0 + on1) / (wall / 1e6),
                        before[0], in[0][0], in[1][0], out[0][0], out[1][0],
                        first[0], first[1], lastEnd[0], lastEnd[1], exit[0] / 1e6, exit[1] / 1e6, txs[0], txs[1], others};
                if (quietOnly && others > 0) {
                    skipped++;
                } else {
                    (in[1][0] == before[0] ? same : other).get(mode).add(row);
                }
                if (rows) {
                    StringBuilder sb = new StringBuilder(modes[mode] + " " + r + ":");
                    for (double x : row) {
                        sb.append(String.format(" %.2f", x));
                    }
                    System.out.println(sb);
                }
            }
        }
        System.out.println(w.label() + ": " + String.join(" | ", names) + (quietOnly ? " (quiet reps only; " + skipped + " reps skipped)" : ""));
        for (int m = 0; m < modes.length; m++) {
            print(modes[m] + ", w1 entered on the caller's vCPU", same.get(m), names);
            print(modes[m] + ", w1 entered on the other vCPU", other.get(m), names);
        }
    }

    static void print(String label, List<double[]> rows, String[] names) {
        System.out.printf("%s: %d reps%n", label, rows.size());
        if (rows.isEmpty()) {
            return;
        }
        for (int i = 0; i < names.length; i++) {
            double[] col = new double[rows.size()];
            for (int j = 0; j < col.length; j++) {
                col[j] = rows.get(j)[i];
            }
            Arrays.sort(col);
            System.out.printf("  %-18s median %9.2f  (quartiles %.2f - %.2f, min %.2f, max %.2f)%n", names[i], col[col.length / 2],
                    col[col.length / 4], col[3 * col.length / 4], col[0], col[col.length - 1]);
        }
    }
}
