// HISTORICAL (round 20): this probe selects the release layout or protocol (AccessDag/PredictedRun/DagRun with a layout
// argument, successor stacks, pending counts), deleted from the engine in round 20 (branch xfer20); it compiles and runs
// only against the classes of main at 8152a49 (e.g. -cp <probe classes>:/tmp/r19m.jar). Kept as the record of what was measured.
// Probe (not a test), issue 11 round 18: the one-job predicted schedule (PredictedRun) at TWO workers (one linker, the
// default there) with each predicting worker reading a transfer key's base value at every access (before round 18) and
// only the first time it meets the key (dag/SeenKeys), alternated rep by rep in one JVM on the bench engine's 10,000-tx
// ed25519 block (seed 42): per rep each worker's thread CPU over its part of the job (round 16's Overlap: thread CPU =
// on-CPU time), plus collect, and the job's wall. The host core's speed moves between minutes (round 17), so besides the
// medians the probe prints the median of the per-rep ratio (read-once CPU / every-access CPU of the same rep, seconds
// apart). Every rep's output is checked against sequential (same write set, same outcomes).
// Compiles against commit 3f1a999 only (PredictedRun's readOnce flag and dag/SeenKeys, reverted after this measurement: docs/PERFORMANCE.md, round 18, branch cut18):
// build that commit's jar for J.
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/ReadOnceAtTwo.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache .bench/measure java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.ReadOnceAtTwo transfer:10000,mixed 41
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import java.util.Arrays;

public class ReadOnceAtTwo {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[1]);
        System.out.printf("%-16s %8s | %10s %10s %10s %8s | %10s %10s %10s %8s | %10s%n", "workload", "seq cpu",
                "every cpu", "every wall", "every w0", "cpu/seq", "once cpu", "once wall", "once w0", "cpu/seq", "once/every");
        try (WorkerPool pool = new WorkerPool(2)) {
            for (String spec : args[0].split(",")) {
                KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
                SequentialEngine seq = new SequentialEngine(s.vm());
                BlockOutput expected = seq.execute(s.ctx(), s.txs(), s.base());
                long[] seqCpu = new long[reps];
                long[][] cpu = new long[2][reps];
                long[][] wall = new long[2][reps];
                long[][] w0 = new long[2][reps];
                for (int r = -10; r < reps; r++) { // 10 unrecorded warm-up reps
                    long c = MX.getCurrentThreadCpuTime();
                    BlockOutput out = seq.execute(s.ctx(), s.txs(), s.base());
                    long sc = MX.getCurrentThreadCpuTime() - c;
                    check(out, expected, "sequential");
                    for (int v = 0; v < 2; v++) {
                        boolean once = v == 1;
                        PredictedRun run = new PredictedRun(s.ctx(), s.txs(), s.base(), s.vm(), 2, 1, once);
                        long[] workerCpu = new long[2];
                        long t0 = System.nanoTime();
                        pool.run(2, (w, stop) -> {
                            long c0 = MX.getCurrentThreadCpuTime();
                            run.work(w, stop);
                            workerCpu[w] = MX.getCurrentThreadCpuTime() - c0;
                        });
                        long c1 = MX.getCurrentThreadCpuTime();
                        BlockOutput o = run.collect(pool, 2);
                        long collect = MX.getCurrentThreadCpuTime() - c1;
                        long t1 = System.nanoTime();
                        check(o, expected, once ? "read once" : "read at every access");
                        if (r >= 0) {
                            cpu[v][r] = workerCpu[0] + workerCpu[1] + collect;
                            wall[v][r] = t1 - t0;
                            w0[v][r] = workerCpu[0] * 1000 / Math.max(1, workerCpu[0] + workerCpu[1]);
                        }
                    }
                    if (r >= 0) {
                        seqCpu[r] = sc;
                    }
                }
                double sq = med(seqCpu);
                long[] ratio = new long[reps];
                for (int r = 0; r < reps; r++) {
                    ratio[r] = cpu[1][r] * 1_000_000 / Math.max(1, cpu[0][r]);
                }
                System.out.printf("%-16s %8.3f | %10.3f %10.3f %10.3f %7.2fx | %10.3f %10.3f %10.3f %7.2fx | %9.3fx%n", spec, sq,
                        med(cpu[0]), med(wall[0]), med(w0[0]) * 1e3, med(cpu[0]) / sq,
                        med(cpu[1]), med(wall[1]), med(w0[1]) * 1e3, med(cpu[1]) / sq, med(ratio));
            }
        }
    }

    /** ms for times in ns (the w0 share is in thousandths, printed as a fraction). */
    static double med(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }

    static void check(BlockOutput got, BlockOutput expected, String what) {
        if (!got.writes().equals(expected.writes()) || !got.outcomes().equals(expected.outcomes())) {
            throw new AssertionError(what + " differs from sequential");
        }
    }
}
