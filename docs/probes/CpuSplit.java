// Probe (not a test), issue 11 round 12: where the predicted schedule's work sits, in one thread's CPU time (a loaded
// machine's preemption left out): the prediction pass (the part both workers split evenly) against linking + the run
// (the part worker 0 links alone and the workers then split as the dependencies let them), and the bytes each
// allocates, for the bench's 10,000-tx ed25519 block of each workload. Uses AccessDag.predict(txs, p, from, to, base)
// when the build has it (round 12: base values read in the prediction), else the 4-argument one (earlier builds).
// Columns, medians of the timed reps, ms of the calling thread's CPU; KB per block:
//   seq | predict | link + run (2-worker DagRun run by this one thread, collect included) | predict / (predict + link + run)
//   | alloc predict KB | alloc link + run KB
// Run (after `mvn -B -q -o -DskipTests package`; the same probe classes against another build's jar work too):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/CpuSplit.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.CpuSplit transfer:10000,mixed,utxo 21
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateView;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

public class CpuSplit {
    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws Exception {
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        Method withBase = null;
        try {
            withBase = AccessDag.class.getDeclaredMethod("predict", List.class, AccessDag.Prediction[].class, int.class, int.class, StateView.class);
        } catch (NoSuchMethodException old) {
            // an earlier build: no base values in the prediction
        }
        Method plain = AccessDag.class.getDeclaredMethod("predict", List.class, AccessDag.Prediction[].class, int.class, int.class);
        System.out.println("build reads base in prediction: " + (withBase != null));
        System.out.println("workload | seq | predict | link + run | predict share | alloc predict KB | alloc link + run KB");
        for (String spec : args[0].split(",")) {
            KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
            List<PreparedTx> txs = s.txs();
            int n = txs.size();
            double[][] v = new double[5][reps];
            try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(s.vm())) {
                for (int i = -5; i < reps; i++) {
                    long a = MX.getCurrentThreadCpuTime();
                    seq.execute(s.ctx(), txs, s.base());
                    long b = MX.getCurrentThreadCpuTime();
                    long m0 = MX.getCurrentThreadAllocatedBytes();
                    AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                    if (withBase != null) {
                        withBase.invoke(null, txs, p, 0, n, s.base());
                    } else {
                        plain.invoke(null, txs, p, 0, n);
                    }
                    long c = MX.getCurrentThreadCpuTime();
                    long m1 = MX.getCurrentThreadAllocatedBytes();
                    DagRun run = new DagRun(AccessDag.of(p), s.ctx(), txs, s.base(), s.vm(), 2);
                    WorkerPool.Stop stop = new WorkerPool.Stop();
                    run.work(0, stop);
                    run.work(1, stop);
                    run.collect(pool, 2);
                    long d = MX.getCurrentThreadCpuTime();
                    long m2 = MX.getCurrentThreadAllocatedBytes();
                    if (i >= 0) {
                        v[0][i] = (b - a) / 1e6;
                        v[1][i] = (c - b) / 1e6;
                        v[2][i] = (d - c) / 1e6;
                        v[3][i] = (m1 - m0) / 1024.0;
                        v[4][i] = (m2 - m1) / 1024.0;
                    }
                }
            }
            double pr = med(v[1]);
            double lr = med(v[2]);
            System.out.printf("%s | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f%n", spec, med(v[0]), pr, lr, pr / (pr + lr), med(v[3]), med(v[4]));
        }
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
