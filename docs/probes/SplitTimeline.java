// Probe (not a test), issue 11 round 11: why the predicted schedule's two workers split a transfer block unevenly.
// For the bench's 10,000-tx ed25519 block (seed 42, the chain's last block), PredictedRun at 2 workers (what the
// engine runs) with a VM that stamps each transaction's worker, start and end (System.nanoTime, from the pool.run
// call). Per rep: when each worker entered the job, its first and last transaction, transactions and time in the
// VM per worker, thread CPU per worker, transactions worker 1 ran before worker 0's first, the graph's ready list.
// Medians of the timed reps, microseconds. The "in DagRun", "link end", "sort end" columns and the alternated modes
// (4th argument: a hungry worker's spin before yielding, ns, per rep, e.g. 0,10000000000 = never yield; with
// -Dprobe.spill=true instead: a worker's stack depth from which it hands its older half to the shared queue, e.g. 0,16)
// and (round 12) "w0/w1 predict end" (each worker's end of its prediction chunks), "w0/w1 chunks" (chunks it predicted),
// "graph alloc start" and "run published" (worker 0 allocating the graph, publishing the run); "w0 entry" (round 12:
// when the calling thread, worker 0, entered its own job; measured by this probe, no patch needed)
// need the scratch instrumentation in SplitTimeline.patch (not committed code): `git apply docs/probes/SplitTimeline.patch`
// in a scratch checkout, then (after `mvn -B -q -o -DskipTests package` there):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/SplitTimeline.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.SplitTimeline transfer:10000 20 rows 0,10000000000
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

public class SplitTimeline {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static final ThreadLocal<Integer> WORKER = ThreadLocal.withInitial(() -> -1);
    static long[] spins = {IdleWait.spinNanos};
    static final boolean SPILL = Boolean.getBoolean("probe.spill");

    public static void main(String[] args) {
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        boolean rows = args.length > 2 && args[2].equals("rows");
        // optional: hungry workers' spin before yielding, alternated rep by rep (IdleWait.spinNanos), e.g. 0,200000
        if (args.length > 3) {
            spins = Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray();
        }
        for (String spec : args[0].split(",")) {
            measure(BenchWorkload.parse(spec), reps, rows);
        }
    }

    static void measure(BenchWorkload w, int reps, boolean rows) {
        KeyCosts.Setup pb = KeyCosts.setup(w);
        BlockContext ctx = pb.ctx();
        List<PreparedTx> txs = pb.txs();
        InMemoryStateStore base = pb.base();
        TransactionVm vm = pb.vm();
        int n = txs.size();
        Map<PreparedTx, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(txs.get(i), i);
        }
        int[] ranBy = new int[n];
        long[] start = new long[n];
        long[] end = new long[n];
        long[] origin = new long[1];
        TransactionVm tracing = (tx, b, state) -> {
            int i = index.get(tx);
            ranBy[i] = WORKER.get();
            start[i] = System.nanoTime() - origin[0];
            try {
                return vm.execute(tx, b, state);
            } finally {
                end[i] = System.nanoTime() - origin[0];
            }
        };
        String[] names = {"seq", "wall", "w1 entry", "w0 first tx", "w1 first tx", "w0 last end", "w1 last end",
                "w0 txs", "w1 txs", "w0 in VM", "w1 in VM", "w0 cpu", "w1 cpu", "w1 txs before w0's first", "ready", "w0 idle gaps>20us", "w1 idle gaps>20us", "w0 in DagRun", "w1 in DagRun", "link end", "sort end", "ready after 1st chunk", "w0 off-CPU (job wall - cpu)", "w1 off-CPU (job wall - cpu)", "w0 predict end", "w1 predict end", "w0 chunks", "w1 chunks", "graph alloc start", "run published", "w0 entry"};
        int modes = spins.length;
        double[][][] v = new double[modes][names.length][reps];
        if (rows) {
            System.out.println(w.label() + " rows: " + String.join(" | ", names));
        }
        try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(vm)) {
            for (int r = -5 * modes; r < reps * modes; r++) {
                int mode = Math.floorMod(r, modes);
                if (SPILL) {
                    DagRun.spill = (int) spins[mode];
                } else {
                    IdleWait.spinNanos = spins[mode];
                }
                long s0 = System.nanoTime();
                seq.execute(ctx, txs, base);
                long s1 = System.nanoTime();
                PredictedRun run = new PredictedRun(ctx, txs, base, tracing, 2);
                long[] entry = new long[2];
                long[] cpu = new long[2];
                long[] exit = new long[2];
                origin[0] = System.nanoTime();
                pool.run(2, (worker, stop) -> {
                    entry[worker] = System.nanoTime() - origin[0];
                    WORKER.set(worker);
                    long c0 = MX.getCurrentThreadCpuTime();
                    run.work(worker, stop);
                    cpu[worker] = MX.getCurrentThreadCpuTime() - c0;
                    exit[worker] = System.nanoTime() - origin[0];
                });
                long wall = System.nanoTime() - origin[0];
                run.collect(pool, 2);
                if (r < 0) {
                    continue;
                }
                long[] first = {Long.MAX_VALUE, Long.MAX_VALUE};
                long[] last = new long[2];
                long[] inVm = new long[2];
                int[] count = new int[2];
                for (int t = 0; t < n; t++) {
                    int k = ranBy[t];
                    first[k] = Math.min(first[k], start[t]);
                    last[k] = Math.max(last[k], end[t]);
                    inVm[k] += end[t] - start[t];
                    count[k]++;
                }
                int before = 0;
                for (int t = 0; t < n; t++) {
                    before += ranBy[t] == 1 && start[t] < first[0] ? 1 : 0;
                }
                // idle gaps: per worker, time between one transaction's end and its next start over 20 us
                long[] gaps = new long[2];
                Integer[] order = new Integer[n];
                for (int t = 0; t < n; t++) {
                    order[t] = t;
                }
                Arrays.sort(order, (a, b) -> Long.compare(start[a], start[b]));
                long[] prevEnd = {-1, -1};
                for (int t : order) {
                    int k = ranBy[t];
                    if (prevEnd[k] >= 0 && start[t] - prevEnd[k] > 20_000) {
                        gaps[k] += start[t] - prevEnd[k];
                    }
                    prevEnd[k] = end[t];
                }
                double[] row = {(s1 - s0) / 1e3, wall / 1e3, entry[1] / 1e3, first[0] / 1e3, first[1] / 1e3, last[0] / 1e3, last[1] / 1e3,
                        count[0], count[1], inVm[0] / 1e3, inVm[1] / 1e3, cpu[0] / 1e3, cpu[1] / 1e3, before, run.dag().readyCount(),
                        gaps[0] / 1e3, gaps[1] / 1e3, (DagRun.DEBUG[0] - origin[0]) / 1e3, (DagRun.DEBUG[1] - origin[0]) / 1e3,
                        (DagRun.DEBUG[2] - origin[0]) / 1e3, (DagRun.DEBUG[3] - origin[0]) / 1e3, DagRun.DEBUG[5],
                        (exit[0] - entry[0] - cpu[0]) / 1e3, (exit[1] - entry[1] - cpu[1]) / 1e3, (DagRun.DEBUG[8] - origin[0]) / 1e3, (DagRun.DEBUG[9] - origin[0]) / 1e3, DagRun.DEBUG[10], DagRun.DEBUG[11], (DagRun.DEBUG[12] - origin[0]) / 1e3, (DagRun.DEBUG[13] - origin[0]) / 1e3, entry[0] / 1e3};
                for (int i = 0; i < names.length; i++) {
                    v[mode][i][r / modes] = row[i];
                }
                if (rows) {
                    StringBuilder sb = new StringBuilder(w.label() + " spin " + spins[mode] + " rep " + r + ":");
                    for (double x : row) {
                        sb.append(String.format(" %.0f", x));
                    }
                    System.out.println(sb);
                }
            }
        }
        for (int mode = 0; mode < modes; mode++) {
            StringBuilder sb = new StringBuilder(w.label() + " spin " + spins[mode] + " ns, medians (us, counts):");
            for (int i = 0; i < names.length; i++) {
                sb.append(String.format("%n  %-28s %10.1f   (min %.1f, max %.1f)", names[i], med(v[mode][i]), min(v[mode][i]), max(v[mode][i])));
            }
            System.out.println(sb);
        }
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }
}
