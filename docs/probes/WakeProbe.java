// Probe (not a test), issue 11 round 11: does the predicted schedule at 2 workers cost more when the pool's thread
// has been idle (parked) before the block, as in `bench engine`, where engines run interleaved rep by rep?
// For the bench's 10,000-tx ed25519 transfer block, rep by rep alternately:
//   hot   the engine (block-stm, fallback off, 2 threads) timed right after another run of the same engine
//   idle  the same engine timed after the calling thread ran the sequential engine once (~9 ms quiet; the pool parked)
//   sleep the same engine timed after Thread.sleep(20) (the pool and the calling thread both idle)
// and the same three for PredictedRun alone on a pool of its own (collect included), with worker 1's entry latency.
// Medians, ms. Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/WakeProbe.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.WakeProbe transfer:10000 31
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.Arrays;
import java.util.List;

public class WakeProbe {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        BenchWorkload w = BenchWorkload.parse(args[0]);
        KeyCosts.Setup pb = KeyCosts.setup(w);
        BlockContext ctx = pb.ctx();
        List<PreparedTx> txs = pb.txs();
        InMemoryStateStore base = pb.base();
        TransactionVm vm = pb.vm();
        String[] names = {"seq", "engine hot", "engine idle", "engine sleep", "job hot", "job idle", "job sleep",
                "w1 entry hot", "w1 entry idle", "w1 entry sleep", "seq caller cpu", "engine hot caller cpu", "job hot caller cpu"};
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[][] v = new double[names.length][reps];
        try (SequentialEngine seq = new SequentialEngine(vm);
             BlockStmEngine engine = new BlockStmEngine(vm, BlockStmOptions.defaults(2).withContentionFallback(false));
             WorkerPool pool = new WorkerPool(2)) {
            for (int r = -5; r < reps; r++) {
                double[] row = new double[names.length];
                long a = System.nanoTime();
                long c = mx.getCurrentThreadCpuTime();
                seq.execute(ctx, txs, base);
                row[0] = (System.nanoTime() - a) / 1e6;
                row[10] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
                // engine: hot (right after itself), idle (after the sequential engine), sleep
                engine.execute(ctx, txs, base);
                a = System.nanoTime();
                c = mx.getCurrentThreadCpuTime();
                engine.execute(ctx, txs, base);
                row[1] = (System.nanoTime() - a) / 1e6;
                row[11] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
                seq.execute(ctx, txs, base);
                a = System.nanoTime();
                engine.execute(ctx, txs, base);
                row[2] = (System.nanoTime() - a) / 1e6;
                Thread.sleep(20);
                a = System.nanoTime();
                engine.execute(ctx, txs, base);
                row[3] = (System.nanoTime() - a) / 1e6;
                // the job alone
                job(ctx, txs, base, vm, pool);
                c = mx.getCurrentThreadCpuTime();
                double[] hot = job(ctx, txs, base, vm, pool);
                row[12] = (mx.getCurrentThreadCpuTime() - c) / 1e6;
                seq.execute(ctx, txs, base);
                double[] idle = job(ctx, txs, base, vm, pool);
                Thread.sleep(20);
                double[] sleep = job(ctx, txs, base, vm, pool);
                row[4] = hot[0];
                row[5] = idle[0];
                row[6] = sleep[0];
                row[7] = hot[1];
                row[8] = idle[1];
                row[9] = sleep[1];
                if (r >= 0) {
                    for (int i = 0; i < names.length; i++) {
                        v[i][r] = row[i];
                    }
                }
            }
        }
        for (int i = 0; i < names.length; i++) {
            System.out.printf("%-16s %8.3f ms (min %.3f, max %.3f)%n", names[i], med(v[i]), Arrays.stream(v[i]).min().orElse(0),
                    Arrays.stream(v[i]).max().orElse(0));
        }
    }

    /** PredictedRun at 2 workers plus its collect: {wall ms, worker 1's entry after the call ms}. */
    static double[] job(BlockContext ctx, List<PreparedTx> txs, InMemoryStateStore base, TransactionVm vm, WorkerPool pool) {
        PredictedRun run = new PredictedRun(ctx, txs, base, vm, 2);
        long[] entry = new long[1];
        long a = System.nanoTime();
        pool.run(2, (worker, stop) -> {
            if (worker == 1) {
                entry[0] = System.nanoTime() - a;
            }
            run.work(worker, stop);
        });
        run.collect(pool, 2);
        return new double[] {(System.nanoTime() - a) / 1e6, entry[0] / 1e6};
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
