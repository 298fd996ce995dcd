// Reverted on main (round 14, the lead): AccountKeys made block-stm differ from sequential on mixed after transfer blocks under
// the Serial and Parallel collectors (docs/PERFORMANCE.md, "Round 14: merged main"); the cause was a C2 miscompile of
// KeyHasher's copy loop (round 15). To run this probe, build commit ae6819c (branch akeys15: AccountKeys with the fixed
// KeyHasher; c613d8b has the miscompiled loop and gives wrong hashes once C2 compiles it).
// Probe (not a test), issue 11 round 14: what AccountKeys (a prediction worker's reused account keys, base reads skipped
// for keys it already predicted) saves, in ONE JVM, alternated rep by rep so the machine's load hits both alike: the
// prediction pass (64-tx chunks in order, as one worker), then AccessDag.of + link, then the 2-worker DagRun run by this
// thread (sort, run, writes, collect; link subtracted), with and without the reuse (accounts = null: every access builds
// its key and reads the base, as main). One thread's CPU, us per tx, medians; and bytes allocated by the prediction.
// Run (after `mvn -B -q -o -DskipTests package`; needs a build with dag.AccountKeys):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/KeyReuse.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.KeyReuse transfer:10000,mixed 41
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.model.rules.PreparedTx;
import java.util.Arrays;
import java.util.List;

public class KeyReuse {
    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    static long sink;

    public static void main(String[] args) {
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 41;
        System.out.println("workload | seq | predict main / reuse | link main / reuse | run main / reuse | total main / reuse | total/seq main / reuse | predict KB main / reuse");
        for (String spec : args[0].split(",")) {
            KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
            List<PreparedTx> txs = s.txs();
            int n = txs.size();
            double[][] v = new double[9][reps];
            try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(s.vm())) {
                for (int i = -7; i < reps; i++) {
                    long a = MX.getCurrentThreadCpuTime();
                    seq.execute(s.ctx(), txs, s.base());
                    long b = MX.getCurrentThreadCpuTime();
                    if (i >= 0) {
                        v[0][i] = (b - a) * 1e-3 / n;
                    }
                    for (int way = 0; way < 2; way++) {
                        int w = (i & 1) == 0 ? way : 1 - way; // which goes first alternates
                        AccountKeys accounts = w == 1 ? new AccountKeys() : null;
                        AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                        long m0 = MX.getCurrentThreadAllocatedBytes();
                        long c0 = MX.getCurrentThreadCpuTime();
                        for (int from = 0; from < n; from += 64) {
                            AccessDag.predict(txs, p, from, Math.min(n, from + 64), s.base(), accounts);
                        }
                        long c1 = MX.getCurrentThreadCpuTime();
                        long m1 = MX.getCurrentThreadAllocatedBytes();
                        AccessDag alone = AccessDag.of(p);
                        alone.link(n);
                        long c2 = MX.getCurrentThreadCpuTime();
                        DagRun run = new DagRun(AccessDag.of(p), s.ctx(), txs, s.base(), s.vm(), 2);
                        WorkerPool.Stop stop = new WorkerPool.Stop();
                        run.work(0, stop);
                        run.work(1, stop);
                        sink += run.collect(pool, 2).writes().size();
                        long c3 = MX.getCurrentThreadCpuTime();
                        if (i >= 0) {
                            v[1 + w][i] = (c1 - c0) * 1e-3 / n;
                            v[3 + w][i] = (c2 - c1) * 1e-3 / n;
                            v[5 + w][i] = (c3 - c2 - (c2 - c1)) * 1e-3 / n;
                            v[7 + w][i] = (m1 - m0) / 1024.0;
                        }
                    }
                }
            }
            double s0 = med(v[0]);
            double t0 = med(v[1]) + med(v[3]) + med(v[5]);
            double t1 = med(v[2]) + med(v[4]) + med(v[6]);
            System.out.printf("%s | %.3f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %.3f / %.3f | %.2f / %.2f | %.0f / %.0f%n", spec, s0,
                    med(v[1]), med(v[2]), med(v[3]), med(v[4]), med(v[5]), med(v[6]), t0, t1, t0 / s0, t1 / s0, med(v[7]), med(v[8]));
        }
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
