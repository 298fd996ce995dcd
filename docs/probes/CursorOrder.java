// HISTORICAL (round 20): this probe selects the release layout or protocol (AccessDag/PredictedRun/DagRun with a layout
// argument, successor stacks, pending counts), deleted from the engine in round 20 (branch xfer20); it compiles and runs
// only against the classes of main at 8152a49 (e.g. -cp <probe classes>:/tmp/r19m.jar). Kept as the record of what was measured.
// Probe (not a test), issue 11 round 19: the predicted schedule's run in block order from a shared cursor (the cursor
// layout: each transaction's predecessors read when the cursor reaches it, a blocked one left on a predecessor's stack,
// DagRun round 19) against round 18's depth-first release (the release layout: successor stacks, pending, waits, the
// ready list), alternated rep by rep in one JVM on the bench engine's 10,000-tx ed25519 block (seed 42). Per rep:
//   1t   the graph linked and run by ONE thread, the predictions made beforehand in 64-tx chunks with the base, as
//        PredictedRun's workers make them: in order (DagRun at 1 worker, the floor), release (DagRun at 2 workers,
//        work(0) then work(1): the thread runs it all, every release made) and cursor (the same, cursor layout): thread CPU
//   2w   PredictedRun at TWO workers on the pool (what the engine runs), release then cursor layout: both workers'
//        thread CPU + collect, and wall
// The host core's speed moves between minutes (round 17), so besides medians the probe prints the median of the
// per-rep ratio cursor/release (the runs of one rep are milliseconds apart). Every run is checked against sequential.
// A third argument `noop` runs a VM that makes a transfer's outcome and touches no state (Ledger.noop): the machinery alone;
// `rel2w` or `cur2w` runs only that layout's 2-worker run, rep after rep (for a JFR recording of it alone).
// Run (after `mvn -B -q -o -DskipTests package -pl jobs -am`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe19 && javac -cp $J -d /tmp/probe19 docs/probes/CursorOrder.java docs/probes/KeyCosts.java docs/probes/Ledger.java
//   BITQUAN_CACHE=$PWD/target/key-cache .bench/measure java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe19:$J \
//       io.bitquan.flow.execution.dag.CursorOrder transfer:10000,mixed,utxo 31
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.TransactionVm;
import java.util.Arrays;

public class CursorOrder {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[1]);
        if (args.length > 2 && args[2].endsWith("2w")) {
            alone(args[0], reps, args[2].equals("cur2w"));
            return;
        }
        boolean noop = args.length > 2 && args[2].equals("noop");
        System.out.printf("%-16s %7s | %8s %8s %8s %8s | %8s %8s %8s %8s %8s %8s%n", noop ? "noop ms/block" : "ms per block", "seq",
                "1t order", "1t rel", "1t cur", "cur/rel", "2w rel", "wall", "2w cur", "wall", "cur/rel", "2w/seq");
        try (WorkerPool pool = new WorkerPool(2)) {
            for (String spec : args[0].split(",")) {
                KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
                SequentialEngine seq = new SequentialEngine(s.vm());
                BlockOutput expected = seq.execute(s.ctx(), s.txs(), s.base());
                TransactionVm vm = noop ? Ledger.noop(s.vm()) : s.vm();
                int n = s.txs().size();
                long[][] v = new long[8][reps];
                long[] r1 = new long[reps];
                long[] r2 = new long[reps];
                for (int r = -10; r < reps; r++) { // 10 unrecorded warm-up reps
                    long c = MX.getCurrentThreadCpuTime();
                    check(seq.execute(s.ctx(), s.txs(), s.base()), expected, "sequential", false);
                    long sc = MX.getCurrentThreadCpuTime() - c;
                    long[] one = new long[3];
                    for (int k = 0; k < 3; k++) { // 0: in block order (1 worker), 1: release, 2: cursor
                        AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                        for (int from = 0; from < n; from += 64) {
                            AccessDag.predict(s.txs(), p, from, Math.min(n, from + 64), s.base());
                        }
                        AccessDag dag = AccessDag.of(p, Shards.one(), k == 2);
                        WorkerPool.Stop stop = new WorkerPool.Stop();
                        long c0 = MX.getCurrentThreadCpuTime();
                        DagRun run = new DagRun(dag, s.ctx(), s.txs(), s.base(), vm, k == 0 ? 1 : 2);
                        run.work(0, stop);
                        if (k > 0) {
                            run.work(1, stop); // finds the block done (a 1-worker run is in order: work(1) would run it again)
                        }
                        BlockOutput o = run.collect(pool, 2);
                        one[k] = MX.getCurrentThreadCpuTime() - c0;
                        check(o, expected, "1t " + k, noop);
                    }
                    long[] two = new long[2];
                    long[] wall = new long[2];
                    for (int k = 0; k < 2; k++) {
                        PredictedRun run = new PredictedRun(s.ctx(), s.txs(), s.base(), vm, 2, 1, k == 1);
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
                        check(o, expected, "2w " + k, noop);
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

    /**
     * One layout's 2-worker run alone, rep after rep (a third argument {@code rel2w} or {@code cur2w}), for a JFR
     * recording of that run only: both workers' thread CPU + collect, medians.
     */
    static void alone(String specs, int reps, boolean cursor) throws Exception {
        try (WorkerPool pool = new WorkerPool(2)) {
            for (String spec : specs.split(",")) {
                KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
                BlockOutput expected = new SequentialEngine(s.vm()).execute(s.ctx(), s.txs(), s.base());
                long[] cpu = new long[reps];
                for (int r = -10; r < reps; r++) {
                    PredictedRun run = new PredictedRun(s.ctx(), s.txs(), s.base(), s.vm(), 2, 1, cursor);
                    long[] workerCpu = new long[2];
                    pool.run(2, (w, stop) -> {
                        long c0 = MX.getCurrentThreadCpuTime();
                        run.work(w, stop);
                        workerCpu[w] = MX.getCurrentThreadCpuTime() - c0;
                    });
                    long c1 = MX.getCurrentThreadCpuTime();
                    BlockOutput o = run.collect(pool, 2);
                    if (r >= 0) {
                        cpu[r] = workerCpu[0] + workerCpu[1] + MX.getCurrentThreadCpuTime() - c1;
                    }
                    check(o, expected, "2w " + (cursor ? "cursor" : "release"), false);
                }
                System.out.printf("%-16s 2w %s: %.3f ms CPU per block (median of %d)%n", spec, cursor ? "cursor" : "release", med(cpu), reps);
            }
        }
    }

    /** ms for times in ns; ratios (scaled by 10^6) come out as plain ratios. */
    static double med(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }

    /** A no-op VM's output is not the block's: only that it has one per transaction. */
    static void check(BlockOutput got, BlockOutput expected, String what, boolean noop) {
        if (noop ? got.outcomes().size() != expected.outcomes().size()
                : !got.writes().equals(expected.writes()) || !got.outcomes().equals(expected.outcomes())) {
            throw new AssertionError(what + " differs from sequential");
        }
    }
}
