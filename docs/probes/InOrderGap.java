// Probe (not a test), issue 11 round 18: what the predicted schedule's run costs on ONE thread in block order (DagRun at
// 1 worker: no release, no successor stacks read) against depth first (DagRun at 2 workers, run by one thread: every
// release made), with the real VM and with a VM that makes a transfer's outcome and touches no state (Ledger.noop):
// the no-op gap is the release machinery's CPU, the rest of the real gap is where the data is read from (the order
// the run visits predictions, transactions and slots). Alternated rep by rep in one JVM on the bench engine's
// 10,000-tx ed25519 block (seed 42); thread CPU of link + run + collect, the predictions made beforehand in 64-tx
// chunks with the base, as PredictedRun's workers make them. Medians, ms per block; every real run checked against
// sequential.
// Run (after `mvn -B -q -o -DskipTests package`; main's classes, no flag needed):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/InOrderGap.java docs/probes/Ledger.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache .bench/measure java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.InOrderGap transfer:10000,mixed 31
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.TransactionVm;
import java.util.Arrays;

public class InOrderGap {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int reps = Integer.parseInt(args[1]);
        System.out.printf("%-16s %7s | %9s %9s %7s | %9s %9s %7s%n", "ms per block", "seq",
                "vm order", "vm depth", "gap", "noop ord", "noop dep", "gap");
        try (WorkerPool pool = new WorkerPool(2)) {
            for (String spec : args[0].split(",")) {
                KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
                SequentialEngine seq = new SequentialEngine(s.vm());
                BlockOutput expected = seq.execute(s.ctx(), s.txs(), s.base());
                TransactionVm noop = Ledger.noop(s.vm());
                int n = s.txs().size();
                long[][] v = new long[5][reps];
                for (int r = -10; r < reps; r++) {
                    long c = MX.getCurrentThreadCpuTime();
                    seq.execute(s.ctx(), s.txs(), s.base());
                    long sc = MX.getCurrentThreadCpuTime() - c;
                    long[] got = new long[4];
                    for (int k = 0; k < 4; k++) { // real in order, real depth first, no-op in order, no-op depth first
                        AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                        for (int from = 0; from < n; from += 64) {
                            AccessDag.predict(s.txs(), p, from, Math.min(n, from + 64), s.base());
                        }
                        AccessDag dag = AccessDag.of(p);
                        WorkerPool.Stop stop = new WorkerPool.Stop();
                        boolean inOrder = k % 2 == 0;
                        long c0 = MX.getCurrentThreadCpuTime();
                        DagRun run = new DagRun(dag, s.ctx(), s.txs(), s.base(), k < 2 ? s.vm() : noop, inOrder ? 1 : 2);
                        run.work(0, stop);
                        if (!inOrder) {
                            run.work(1, stop); // finds the block done
                        }
                        BlockOutput o = run.collect(pool, 2);
                        got[k] = MX.getCurrentThreadCpuTime() - c0;
                        if (k < 2 && (!o.writes().equals(expected.writes()) || !o.outcomes().equals(expected.outcomes()))) {
                            throw new AssertionError(k + " differs from sequential");
                        }
                    }
                    if (r >= 0) {
                        v[0][r] = sc;
                        for (int k = 0; k < 4; k++) {
                            v[k + 1][r] = got[k];
                        }
                    }
                }
                System.out.printf("%-16s %7.3f | %9.3f %9.3f %7.3f | %9.3f %9.3f %7.3f%n", spec, med(v[0]), med(v[1]), med(v[2]),
                        med(v[2]) - med(v[1]), med(v[3]), med(v[4]), med(v[4]) - med(v[3]));
            }
        }
    }

    static double med(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }
}
