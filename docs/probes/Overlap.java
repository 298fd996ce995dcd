// Probe (not a test), issue 11 round 16: do the predicted schedule's two workers overlap on a transfer block, per phase,
// and is the Ledger's thread-CPU reading (round 14: transfer's prediction at 0.99 vCPUs) right? For each workload of the
// list, ALTERNATED rep by rep in one JVM (so transfer and utxo meet the same machine), per rep: the sequential block (the
// bench interleaves engines, so the pool thread has been parked about a block), then two 2-worker jobs on the pool:
//   P  the prediction alone (AccessDag.predict in 64-tx claims, as Ledger's "2w predict" and PredictedRun's first phase)
//   R  PredictedRun's work, replicated here with stamps (the same calls: predict chunks, the worker counting the last
//      chunk builds the graph and runs DagRun as linker, the other waits for the run with IdleWait, then DagRun.work)
// Per worker and phase the kernel's own accounting, read by the thread itself: thread CPU clock (what Ledger reads),
// /proc/thread-self/schedstat run delay (ns runnable but waiting for a CPU; exact for the reading thread) and
// timeslices, and the vCPU (/proc/thread-self/stat field 39) at entry and exit; phase ends as System.nanoTime from the
// pool.run call; procs_running (/proc/stat) just before the call. "vCPUs" = summed CPU / wall of the phase.
// A phase on one shared vCPU shows each worker's run delay ~ the other's CPU; a worker blocked (lock, park) shows
// neither CPU nor run delay for that time. Medians, split by whether another task was runnable at the call and by
// whether the two workers were on one vCPU at entry and exit, on two, or moved.
// Run (after `mvn -B -q -o -DskipTests package`; works against any build's jar):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/Overlap.java docs/probes/HandOff.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.Overlap transfer:10000,utxo,mixed 40
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.IdleWait;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.model.rules.PreparedTx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

public class Overlap {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    private static final Path STAT = Path.of("/proc/thread-self/stat");
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    /** {ns since origin, thread CPU ns, run delay ns, timeslices, vCPU} of the calling thread. */
    static long[] stamp(long origin) {
        try {
            String[] s = Files.readString(SCHEDSTAT).trim().split(" ");
            String stat = Files.readString(STAT);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {System.nanoTime() - origin, MX.getCurrentThreadCpuTime(), Long.parseLong(s[1]), Long.parseLong(s[2]),
                Long.parseLong(f[39 - 3])};
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // columns of a row
    static final String[] P_COLS = {"seq ms", "wall ms", "w1 entry us", "w0 cpu ms", "w1 cpu ms", "w0 queued ms", "w1 queued ms",
        "vCPUs", "w0 chunks", "w1 chunks", "same vCPU at entry", "same vCPU at exit", "w0 slices", "w1 slices", "Ledger-style vCPUs"};
    static final String[] R_COLS = {"seq ms", "wall ms", "w1 entry us", "predict end ms", "graph+run seen ms (w1 waits)", "w0 exit ms", "w1 exit ms",
        "predict vCPUs", "predict w0 cpu", "predict w1 cpu", "predict w0 queued", "predict w1 queued",
        "run vCPUs", "run w0 cpu", "run w1 cpu", "run w0 queued", "run w1 queued", "job vCPUs", "w0 is linker", "same vCPU at entry",
        "same vCPU at exit", "wait cpu ms (non-linker)", "run/seq"};

    public static void main(String[] args) {
        String[] specs = args[0].split(",");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        KeyCosts.Setup[] setups = new KeyCosts.Setup[specs.length];
        for (int i = 0; i < specs.length; i++) {
            setups[i] = KeyCosts.setup(BenchWorkload.parse(specs[i]));
        }
        // per workload: rows by mode, whether another task was runnable at the call, and where the workers were
        List<java.util.Map<String, List<double[]>>> rows = new ArrayList<>();
        for (int i = 0; i < specs.length; i++) {
            rows.add(new java.util.TreeMap<>());
        }
        try (WorkerPool pool = new WorkerPool(2)) {
            SequentialEngine[] seqs = new SequentialEngine[specs.length];
            for (int i = 0; i < specs.length; i++) {
                seqs[i] = new SequentialEngine(setups[i].vm());
            }
            for (int r = -10; r < reps; r++) {
                for (int i = 0; i < specs.length; i++) {
                    KeyCosts.Setup s = setups[i];
                    long a = System.nanoTime();
                    seqs[i].execute(s.ctx(), s.txs(), s.base());
                    double seqMs = (System.nanoTime() - a) / 1e6;
                    int othersP = HandOff.running() - 1;
                    double[] p = predictOnly(pool, s, seqMs);
                    a = System.nanoTime();
                    seqs[i].execute(s.ctx(), s.txs(), s.base());
                    seqMs = (System.nanoTime() - a) / 1e6;
                    int othersR = HandOff.running() - 1;
                    double[] run = predictedRun(pool, s, seqMs);
                    if (r >= 0) {
                        rows.get(i).computeIfAbsent(group("P (prediction alone)", othersP, p[10], p[11]), k -> new ArrayList<>()).add(p);
                        rows.get(i).computeIfAbsent(group("R (PredictedRun)", othersR, run[19], run[20]), k -> new ArrayList<>()).add(run);
                    }
                }
            }
            for (SequentialEngine e : seqs) {
                e.close();
            }
        }
        for (int i = 0; i < specs.length; i++) {
            for (var e : rows.get(i).entrySet()) {
                HandOff.print(specs[i] + " " + e.getKey(), e.getValue(), e.getKey().startsWith("P") ? P_COLS : R_COLS);
            }
        }
    }

    /** A row's group: the mode, whether another task was runnable at the call, and whether the two workers were on one vCPU at entry and at exit. */
    static String group(String mode, int others, double sameAtEntry, double sameAtExit) {
        return mode + (others == 0 ? ", nothing else runnable at the call" : ", another task runnable at the call")
                + (sameAtEntry == 1 && sameAtExit == 1 ? ", w0 and w1 on one vCPU at entry and exit"
                : sameAtEntry == 0 && sameAtExit == 0 ? ", on two vCPUs at entry and exit" : ", moved");
    }

    static double[] predictOnly(WorkerPool pool, KeyCosts.Setup s, double seqMs) {
        List<PreparedTx> txs = s.txs();
        int n = txs.size();
        AccessDag.Prediction[] pp = new AccessDag.Prediction[n];
        AtomicInteger next = new AtomicInteger();
        long[][] in = new long[2][];
        long[][] out = new long[2][];
        int[] chunks = new int[2];
        long[] ledger = new long[2];
        long origin = System.nanoTime();
        pool.run(2, (worker, st) -> {
            in[worker] = stamp(origin);
            long x = MX.getCurrentThreadCpuTime();
            for (int from; (from = next.getAndAdd(64)) < n; ) {
                AccessDag.predict(txs, pp, from, Math.min(n, from + 64), s.base());
                chunks[worker]++;
            }
            ledger[worker] = MX.getCurrentThreadCpuTime() - x;
            out[worker] = stamp(origin);
        });
        long wall = System.nanoTime() - origin;
        double c0 = (out[0][1] - in[0][1]) / 1e6;
        double c1 = (out[1][1] - in[1][1]) / 1e6;
        return new double[] {seqMs, wall / 1e6, in[1][0] / 1e3, c0, c1, (out[0][2] - in[0][2]) / 1e6, (out[1][2] - in[1][2]) / 1e6,
            (c0 + c1) / (wall / 1e6), chunks[0], chunks[1], in[0][4] == in[1][4] ? 1 : 0, out[0][4] == out[1][4] ? 1 : 0,
            out[0][3] - in[0][3], out[1][3] - in[1][3], (ledger[0] + ledger[1]) / (double) wall};
    }

    static double[] predictedRun(WorkerPool pool, KeyCosts.Setup s, double seqMs) {
        List<PreparedTx> txs = s.txs();
        int n = txs.size();
        AccessDag.Prediction[] predictions = new AccessDag.Prediction[n];
        int chunks = (n + 63) / 64;
        AtomicInteger nextChunk = new AtomicInteger();
        AtomicInteger predicted = new AtomicInteger();
        DagRun[] run = new DagRun[1];
        Object lock = new Object();
        long[][][] st = new long[2][4][]; // per worker: entry, predict end, run seen, exit
        boolean[] linker = new boolean[2];
        long origin = System.nanoTime();
        pool.run(2, (worker, stop) -> {
            st[worker][0] = stamp(origin);
            boolean last = false;
            for (int chunk; (chunk = nextChunk.getAndIncrement()) < chunks; ) {
                int from = chunk * 64;
                AccessDag.predict(txs, predictions, from, Math.min(n, from + 64), s.base());
                last = predicted.incrementAndGet() == chunks;
            }
            st[worker][1] = stamp(origin);
            DagRun mine;
            if (last) {
                mine = new DagRun(AccessDag.of(predictions), s.ctx(), txs, s.base(), s.vm(), 2, worker);
                synchronized (lock) {
                    run[0] = mine;
                }
                linker[worker] = true;
            } else {
                int idle = 0;
                while (true) {
                    synchronized (lock) {
                        mine = run[0];
                    }
                    if (mine != null) {
                        break;
                    }
                    idle = IdleWait.backOff(idle);
                }
            }
            st[worker][2] = stamp(origin);
            mine.work(worker, stop);
            st[worker][3] = stamp(origin);
        });
        long wall = System.nanoTime() - origin;
        run[0].collect(pool, 2);
        // the prediction phase: call -> the last predictor's end; the run: graph seen -> exit (per worker)
        double predEnd = Math.max(st[0][1][0], st[1][1][0]) / 1e6;
        double pc0 = (st[0][1][1] - st[0][0][1]) / 1e6;
        double pc1 = (st[1][1][1] - st[1][0][1]) / 1e6;
        double pq0 = (st[0][1][2] - st[0][0][2]) / 1e6;
        double pq1 = (st[1][1][2] - st[1][0][2]) / 1e6;
        double seen = Math.max(st[0][2][0], st[1][2][0]) / 1e6;
        double rc0 = (st[0][3][1] - st[0][2][1]) / 1e6;
        double rc1 = (st[1][3][1] - st[1][2][1]) / 1e6;
        double rq0 = (st[0][3][2] - st[0][2][2]) / 1e6;
        double rq1 = (st[1][3][2] - st[1][2][2]) / 1e6;
        double runStart = Math.min(st[0][2][0], st[1][2][0]) / 1e6;
        double runEnd = Math.max(st[0][3][0], st[1][3][0]) / 1e6;
        int other = linker[0] ? 1 : 0;
        double waitCpu = (st[other][2][1] - st[other][1][1]) / 1e6;
        double jobCpu = 0;
        for (int w = 0; w < 2; w++) {
            jobCpu += (st[w][3][1] - st[w][0][1]) / 1e6;
        }
        return new double[] {seqMs, wall / 1e6, st[1][0][0] / 1e3, predEnd, seen, st[0][3][0] / 1e6, st[1][3][0] / 1e6,
            (pc0 + pc1) / predEnd, pc0, pc1, pq0, pq1,
            (rc0 + rc1) / (runEnd - runStart), rc0, rc1, rq0, rq1, jobCpu / (wall / 1e6), linker[0] ? 1 : 0,
            st[0][0][4] == st[1][0][4] ? 1 : 0, st[0][3][4] == st[1][3][4] ? 1 : 0, waitCpu, wall / 1e6 / seqMs};
    }
}
