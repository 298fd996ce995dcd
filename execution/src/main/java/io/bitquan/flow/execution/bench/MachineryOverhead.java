package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.dag.AccessDag;
import io.bitquan.flow.execution.dag.DagRun;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateView;
import java.util.Arrays;
import java.util.List;

/**
 * The parallel machinery's own cost per block, at one worker, against the sequential engine in
 * the same run: the predicted schedule forced through its graph (predict, link, run in order,
 * collect) when the block is fully predicted, else the optimistic run at one worker. The engine
 * itself never does this (one worker runs the block in order without a graph), so the 1-thread
 * rows of the table no longer show it; the work/span model shows it for reference. What the model
 * is fitted to (round 13) is {@link #twoWorkers}: the engine's own 2-worker run.
 */
final class MachineryOverhead {
    private MachineryOverhead() {
    }

    /** Median (machinery / sequential) - 1 over {@code reps} interleaved runs. */
    static double measure(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int reps) {
        boolean predicted = AccessDag.build(txs) != null;
        try (WorkerPool pool = new WorkerPool(1);
             // the contention fallback off: with it on, one thread runs unscheduled blocks on the
             // sequential engine, which would measure nothing
             BlockStmEngine optimistic = new BlockStmEngine(vm, BlockStmOptions.defaults(1).withPredictedSchedule(false)
                     .withContentionFallback(false));
             SequentialEngine sequential = new SequentialEngine(vm)) {
            double[] ratio = new double[reps];
            for (int i = -2; i < reps; i++) {
                long t0 = System.nanoTime();
                sequential.execute(block, txs, base);
                long t1 = System.nanoTime();
                if (predicted) {
                    DagRun run = new DagRun(AccessDag.predict(txs, pool, 1), block, txs, base, vm, 1);
                    pool.run(1, run::work);
                    run.collect(pool, 1);
                } else {
                    optimistic.execute(block, txs, base);
                }
                long t2 = System.nanoTime();
                if (i >= 0) {
                    ratio[i] = (double) (t2 - t1) / (t1 - t0);
                }
            }
            Arrays.sort(ratio);
            return ratio[reps / 2] - 1;
        }
    }

    /**
     * Sequential / 2-worker run (medians) over {@code reps} interleaved runs, the engine with the
     * contention fallback off (the bench's {@code block-stm-no-fallback}: the predicted schedule
     * where it applies, else the optimistic run; no payoff check, never in order by choice). Used
     * by the work/span model when the run did not measure that engine at 2 threads itself.
     */
    static double twoWorkers(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int reps) {
        try (BlockStmEngine parallel = new BlockStmEngine(vm, BlockStmOptions.defaults(2).withContentionFallback(false));
             SequentialEngine sequential = new SequentialEngine(vm)) {
            double[] seq = new double[reps];
            double[] two = new double[reps];
            for (int i = -2; i < reps; i++) {
                long t0 = System.nanoTime();
                sequential.execute(block, txs, base);
                long t1 = System.nanoTime();
                parallel.execute(block, txs, base);
                long t2 = System.nanoTime();
                if (i >= 0) {
                    seq[i] = t1 - t0;
                    two[i] = t2 - t1;
                }
            }
            // the ratio of the medians, as the bench's rows compute a speedup
            return EngineBench.median(seq) / EngineBench.median(two);
        }
    }
}
