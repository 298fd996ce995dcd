// HISTORICAL (round 20): this probe selects the release layout or protocol (AccessDag/PredictedRun/DagRun with a layout
// argument, successor stacks, pending counts), deleted from the engine in round 20 (branch xfer20); it compiles and runs
// only against the classes of main at 8152a49 (e.g. -cp <probe classes>:/tmp/r19m.jar). Kept as the record of what was measured.
// Probe (not a test), issue 11 round 18: the predicted schedule's release order, depth first (the transaction released
// last runs next, rounds 7-17) against lowest first (the lowest index a worker holds runs next: DagRun.lowestFirst),
// alternated rep by rep in one JVM on the bench engine's 10,000-tx ed25519 block (seed 42). Per rep and order:
//   1t   the graph linked and run by ONE thread (DagRun at 2 workers, work(0) then work(1): the thread runs it all), the
//        predictions made beforehand in 64-tx chunks with the base, as PredictedRun's workers make them: thread CPU
//   2w   PredictedRun at TWO workers on the pool (what the engine runs): both workers' thread CPU + collect, and wall
// and, in block order as a floor, the same graph run by one thread in order (DagRun at 1 worker). The host core's speed
// moves between minutes (round 17), so besides medians the probe prints the median of the per-rep ratio lowest/depth
// (the two runs of one rep are milliseconds apart). Every run's output is checked against sequential.
// Compiles against commit cabc83e only (DagRun's and PredictedRun's lowestFirst flag, reverted after this measurement: docs/PERFORMANCE.md, round 18, branch cut18):
// build that commit's jar for J.
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/ReleaseOrder.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache .bench/measure java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.ReleaseOrder transfer:10000,mixed,utxo 31
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import java.util.Arrays;

public class ReleaseOrder {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[1]);
        System.out.printf("%-16s %7s | %8s %8s %8s %8s | %8s %8s %8s %8s %8s %8s%n", "ms per block", "seq",
                "1t order", "1t depth", "1t low", "low/dep", "2w depth", "wall", "2w low", "wall", "low/dep", "2w/seq");
        try (WorkerPool pool = new WorkerPool(2)) {
            for (String spec : args[0].split(",")) {
                KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
                SequentialEngine seq = new SequentialEngine(s.vm());
                BlockOutput expected = seq.execute(s.ctx(), s.txs(), s.base());
                int n = s.txs().size();
                long[][] v = new long[8][reps];
                long[] r1 = new long[reps];
                long[] r2 = new long[reps];
                for (int r = -10; r < reps; r++) { // 10 unrecorded warm-up reps
                    long c = MX.getCurrentThreadCpuTime();
                    check(seq.execute(s.ctx(), s.txs(), s.base()), expected, "sequential");
                    long sc = MX.getCurrentThreadCpuTime() - c;
                    long[] one = new long[3];
                    for (int k = 0; k < 3; k++) { // 0: in block order (1 worker), 1: depth first, 2: lowest first
                        AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                        for (int from = 0; from < n; from += 64) {
                            AccessDag.predict(s.txs(), p, from, Math.min(n, from + 64), s.base());
                        }
                        AccessDag dag = AccessDag.of(p);
                        WorkerPool.Stop stop = new WorkerPool.Stop();
                        long c0 = MX.getCurrentThreadCpuTime();
                        DagRun run = new DagRun(dag, s.ctx(), s.txs(), s.base(), s.vm(), k == 0 ? 1 : 2, 0, k == 2);
                        run.work(0, stop);
                        if (k > 0) {
                            run.work(1, stop); // finds the block done (a 1-worker run is in order: work(1) would run it again)
                        }
                        BlockOutput o = run.collect(pool, 2);
                        one[k] = MX.getCurrentThreadCpuTime() - c0;
                        check(o, expected, "1t " + k);
                    }
                    long[] two = new long[2];
                    long[] wall = new long[2];
                    for (int k = 0; k < 2; k++) {
                        PredictedRun run = new PredictedRun(s.ctx(), s.txs(), s.base(), s.vm(), 2, 1, k == 1);
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
                        wall[k] = System.nanoTime() - t0;
                        two[k] = workerCpu[0] + workerCpu[1] + collect;
                        check(o, expected, "2w " + k);
                    }
                    if (r >= 0) {
                        long[] row = {sc, one[0], one[1], one[2], two[0], wall[0], two[1], wall[1]};
                        for (int i = 0; i < row.length; i++) {
                            v[i][r] = row[i];
                        }
                        r1[r] = one[2] * 1_000_000 / one[1];
                        r2[r] = two[1] * 1_000_000 / two[0];
                    }
                }
                double sq = med(v[0]);
                System.out.printf("%-16s %7.3f | %8.3f %8.3f %8.3f %7.3fx | %8.3f %8.3f %8.3f %8.3f %7.3fx %7.2fx%n", spec, sq,
                        med(v[1]), med(v[2]), med(v[3]), med(r1), med(v[4]), med(v[5]), med(v[6]), med(v[7]),
                        med(r2), med(v[6]) / sq);
            }
        }
    }

    /** ms for times in ns; ratios (scaled by 10^6) come out as plain ratios. */
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
