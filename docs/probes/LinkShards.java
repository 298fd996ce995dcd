// Probe (not a test), issue 11 round 17: what the parallel link (one linker per key shard, dag/Shards) costs and how
// far it shrinks the link's serial span, on ONE thread (thread CPU, so a busy machine's preemption is left out). The
// bench engine's 10,000-tx ed25519 block of each workload (seed 42). Per linker count L, per rep, on a fresh graph over
// the same predictions (predicted once with the base, as PredictedRun does):
//   count     Shards.count over the block (what the predicting workers add per chunk; 0 at L = 1)
//   alloc     AccessDag.of (the graph's arrays, laid out by shard: the builder's serial step at the barrier)
//   link sum  every shard's AccessDag.link(s, n), one after another: the link's total CPU at L linkers
//   link max  the largest single shard's link: the link's span when L workers link at once (nothing else modelled:
//             no shared-line cost between linkers, which on this 2-core machine shows only at L = 2)
//   sort      the last linker's IdOrder sort of the writable keys (serial at any L)
// Medians of the reps, ms per block. Read "link max" at L against "link sum" at 1 for the serial part a parallel link
// leaves, "link sum" at L against L = 1 for what the shards cost in CPU.
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/LinkShards.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache .bench/measure java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.LinkShards transfer:10000,mixed,utxo 41
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import java.util.Arrays;
import java.util.List;

public class LinkShards {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    static final int[] LINKERS = {1, 2, 4, 8, 16};

    public static void main(String[] args) {
        int reps = Integer.parseInt(args[1]);
        System.out.printf("%-16s %3s %8s %8s %8s %8s %8s %8s%n", "workload", "L", "count", "alloc", "link sum", "link max",
                "max/sum1", "sort");
        for (String spec : args[0].split(",")) {
            KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
            int n = s.txs().size();
            AccessDag.Prediction[] p = new AccessDag.Prediction[n];
            AccessDag.predict(s.txs(), p, 0, n, s.base());
            double sum1 = 0;
            for (int linkers : LINKERS) {
                long[][] t = new long[5][reps];
                for (int r = -5; r < reps; r++) { // 5 unrecorded warm-up reps per L
                    long c0 = MX.getCurrentThreadCpuTime();
                    Shards shards = linkers == 1 ? Shards.one() : new Shards(linkers, n, 1);
                    shards.countAll(p);
                    long c1 = MX.getCurrentThreadCpuTime();
                    AccessDag dag = AccessDag.of(p, shards);
                    long c2 = MX.getCurrentThreadCpuTime();
                    long max = 0;
                    for (int sh = 0; sh < linkers; sh++) {
                        long a = MX.getCurrentThreadCpuTime();
                        dag.link(sh, n);
                        max = Math.max(max, MX.getCurrentThreadCpuTime() - a);
                    }
                    long c3 = MX.getCurrentThreadCpuTime();
                    int count = dag.compactWritable();
                    IdOrder.sort(dag.writable, count, dag.keys);
                    long c4 = MX.getCurrentThreadCpuTime();
                    if (r >= 0) {
                        t[0][r] = c1 - c0;
                        t[1][r] = c2 - c1;
                        t[2][r] = c3 - c2;
                        t[3][r] = max;
                        t[4][r] = c4 - c3;
                    }
                }
                double[] med = new double[5];
                for (int i = 0; i < 5; i++) {
                    Arrays.sort(t[i]);
                    med[i] = t[i][reps / 2] / 1e6;
                }
                if (linkers == 1) {
                    sum1 = med[2];
                }
                System.out.printf("%-16s %3d %8.3f %8.3f %8.3f %8.3f %8.2f %8.3f%n", spec, linkers, med[0], med[1], med[2], med[3],
                        med[3] / sum1, med[4]);
            }
        }
    }
}
