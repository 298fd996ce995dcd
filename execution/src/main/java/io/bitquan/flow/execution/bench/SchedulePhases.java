package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.dag.AccessDag;
import io.bitquan.flow.execution.dag.DagRun;
import io.bitquan.flow.execution.dag.PredictedRun;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateView;
import java.util.List;

/**
 * Where a predicted-schedule block's wall time goes at two workers, phase by phase, beside the
 * sequential engine in the same loop: predicting the access sets (on the pool, and alone on one
 * thread for comparison), linking the graph alone on one thread (what linking costs uncontended), linking and running together (worker 0
 * links while worker 1 already executes, then both execute), and collecting (the write set
 * made into writes, the block finished), and the way the engine runs the first three since round 7:
 * predicting, linking and running in one pool job ({@link PredictedRun}; "one job", whose
 * collect phase is the same). This is what says, measured, which part of the block
 * eats the two threads' gain, the engine's own steps being timed from outside so the engine
 * carries no timing code.
 */
final class SchedulePhases {
    private SchedulePhases() {
    }

    /** Medians in milliseconds. */
    record Result(double sequentialMs, double predictMs, double predictAloneMs, double linkAloneMs, double linkAndRunMs, double collectMs,
                  double oneJobMs) {
        double scheduledMs() {
            return predictMs + linkAndRunMs + collectMs;
        }
    }

    /** Null when the block has no complete prediction (it runs optimistically, not on the schedule). */
    static Result measure(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int warmup, int reps) {
        if (AccessDag.build(txs) == null) {
            return null;
        }
        int workers = 2;
        double[][] ms = new double[7][reps];
        try (WorkerPool pool = new WorkerPool(workers); WorkerPool one = new WorkerPool(1);
             SequentialEngine sequential = new SequentialEngine(vm)) {
            for (int i = -warmup; i < reps; i++) {
                long t0 = System.nanoTime();
                sequential.execute(block, txs, base);
                long t1 = System.nanoTime();
                AccessDag dag = AccessDag.predict(txs, pool, workers);
                long t2 = System.nanoTime();
                DagRun run = new DagRun(dag, block, txs, base, vm, workers);
                pool.run(workers, run::work);
                long t3 = System.nanoTime();
                if (run.mispredicted()) {
                    return null;
                }
                run.collect(pool, workers);
                long t4 = System.nanoTime();
                // predicting alone, and linking alone (a serial build minus a serial prediction),
                // uncontended: what the two cost without the pool, for comparison
                long t5 = System.nanoTime();
                AccessDag.predict(txs, one, 1);
                long t6 = System.nanoTime();
                AccessDag.build(txs);
                long t7 = System.nanoTime();
                // what the engine runs: predicting, linking and running in one pool job
                PredictedRun oneJob = new PredictedRun(block, txs, base, vm, workers);
                long t8 = System.nanoTime();
                pool.run(workers, oneJob::work);
                long t9 = System.nanoTime();
                oneJob.collect(pool, workers);
                if (i >= 0) {
                    ms[0][i] = (t1 - t0) / 1e6;
                    ms[1][i] = (t2 - t1) / 1e6;
                    ms[2][i] = (t6 - t5) / 1e6;
                    ms[3][i] = Math.max(0, (t7 - t6) - (t6 - t5)) / 1e6;
                    ms[4][i] = (t3 - t2) / 1e6;
                    ms[5][i] = (t4 - t3) / 1e6;
                    ms[6][i] = (t9 - t8) / 1e6;
                }
            }
        }
        return new Result(EngineBench.median(ms[0]), EngineBench.median(ms[1]), EngineBench.median(ms[2]), EngineBench.median(ms[3]),
                EngineBench.median(ms[4]), EngineBench.median(ms[5]), EngineBench.median(ms[6]));
    }

}
