// Probe (not a test), issue 11 round 17: the one-job predicted schedule (PredictedRun) at TWO workers with the serial
// link (1 linker) and the parallel link (2 linkers, dag/Shards), alternated rep by rep in one JVM on the bench engine's
// 10,000-tx ed25519 block (seed 42): per rep each worker's thread CPU over its part of the job (what the kernel gave
// it, round 16's Overlap: thread CPU = on-CPU time) and the job's wall, then collect. A loaded machine stretches the
// wall (run-queue time, not ours); the CPU sum is what the link choice costs or saves. Medians, ms per block, and
// the sequential engine's one-thread CPU in the same reps for the ratio. Every rep's output is checked against
// sequential (same write set, same outcomes), so a number here never comes with a wrong result.
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/LinkAtTwo.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache .bench/measure java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.LinkAtTwo transfer:10000,mixed,utxo 41
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import java.util.Arrays;

public class LinkAtTwo {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[1]);
        System.out.printf("%-16s %8s | %10s %10s %10s %8s | %10s %10s %10s %8s%n", "workload", "seq cpu",
                "1L cpu", "1L wall", "1L w0/w1", "cpu/seq", "2L cpu", "2L wall", "2L w0/w1", "cpu/seq");
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
                    for (int linkers = 1; linkers <= 2; linkers++) {
                        PredictedRun run = new PredictedRun(s.ctx(), s.txs(), s.base(), s.vm(), 2, linkers);
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
                        check(o, expected, linkers + " linkers");
                        if (r >= 0) {
                            cpu[linkers - 1][r] = workerCpu[0] + workerCpu[1] + collect;
                            wall[linkers - 1][r] = t1 - t0;
                            w0[linkers - 1][r] = workerCpu[0] * 1000 / Math.max(1, workerCpu[0] + workerCpu[1]);
                        }
                    }
                    if (r >= 0) {
                        seqCpu[r] = sc;
                    }
                }
                double sq = med(seqCpu);
                System.out.printf("%-16s %8.3f | %10.3f %10.3f %10.3f %7.2fx | %10.3f %10.3f %10.3f %7.2fx%n", spec, sq,
                        med(cpu[0]), med(wall[0]), med(w0[0]) * 1e3, med(cpu[0]) / sq,
                        med(cpu[1]), med(wall[1]), med(w0[1]) * 1e3, med(cpu[1]) / sq);
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
