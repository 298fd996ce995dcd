package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.blockstm.IdleWait;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateView;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block predicted and run on its schedule in one job of the worker pool: the workers predict
 * the access sets in chunks, the worker that finishes the last chunk builds the graph (and links
 * it, round 13; it was worker 0, the calling thread, until then), and every worker goes on into the
 * {@link DagRun} without returning to the pool.
 * Predicting in a pool job of its own and then starting the run's job cost two hand-offs (a pool
 * thread woken, the caller parked on the job's latch and woken) before a single transaction ran;
 * on this machine a woken pool thread often came in after the calling thread had predicted most
 * of the block alone (docs/PERFORMANCE.md, round 7). A block with a transaction whose prediction
 * is incomplete runs nothing: {@link #predicted()} is then false and the block goes optimistic.
 */
public final class PredictedRun {
    /** Transactions per claim in the prediction pass. */
    private static final int PREDICT_CHUNK = 64;

    private final BlockContext block;
    private final List<PreparedTx> txs;
    private final StateView base;
    private final TransactionVm vm;
    private final int workers;
    private final AccessDag.Prediction[] predictions;
    private final int chunks;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger predictedChunks = new AtomicInteger();
    private final AtomicBoolean incomplete = new AtomicBoolean();
    /** The key partition of the link: one shard per linker ({@link Shards}), counted as the chunks are predicted. */
    private final Shards shards;
    /** The run, published by the worker that built the graph; the others wait for it. */
    private volatile DagRun run;
    /** Set by the worker that counted the last chunk when there is nothing to run (a stop). */
    private volatile boolean abandoned;

    /** @param workers as {@link DagRun}'s: with exactly one, the block runs in order */
    public PredictedRun(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int workers) {
        this(block, txs, base, vm, workers, linkers(workers, txs.size()));
    }

    /**
     * Linkers for a block (round 17): {@code -Dbitquan.dag.linkers=N} (at most the workers and
     * {@link Shards#MAX}); by default {@link #DEFAULT_LINKERS}. One worker links alone; so does a
     * block below {@link #MIN_PARALLEL_LINK} transactions (a few hundred microseconds of link is
     * less than a second linker's guards and shared lines).
     * Why not one linker per worker at two: measured (docs/probes/LinkAtTwo.java, round 17), a
     * second linker at two workers cost 10-20 % more CPU per block (transfer, mixed, utxo) and
     * more wall, while the serial link there is hidden behind the other worker's execution
     * (linking a block takes ~1 ms, executing it ~7). The serial link only bounds the schedule
     * when the workers other than the linker execute faster than it links, about 6-8 workers on
     * transfers; from 4 workers half of them link (docs/probes/LinkShards.java: 4 linkers cut
     * the link's span to a third, 8 to a quarter). Not measured on more than two cores.
     */
    static int linkers(int workers, int txs) {
        if (workers <= 1 || txs < MIN_PARALLEL_LINK) {
            return 1;
        }
        int wanted = LINKERS > 0 ? LINKERS : DEFAULT_LINKERS.applyAsInt(workers);
        return Math.max(1, Math.min(Math.min(wanted, workers), Shards.MAX));
    }

    /** {@code bitquan.dag.linkers}, 0 (unset) for the default. */
    private static final int LINKERS = Integer.getInteger("bitquan.dag.linkers", 0);
    /** Linkers by worker count when not set: 1 below 4 workers, then half the workers. */
    private static final java.util.function.IntUnaryOperator DEFAULT_LINKERS = workers -> workers < 4 ? 1 : workers / 2;
    /** Below this many transactions one worker links (see {@link #linkers}). */
    static final int MIN_PARALLEL_LINK = 2048;

    /**
     * @param linkers how many workers link the graph at once, each the keys of its shard
     *                ({@link Shards}); 1 = the serial link of rounds 7-16
     */
    PredictedRun(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int workers, int linkers) {
        if (linkers > 1 && workers <= 1) {
            throw new IllegalArgumentException("one worker runs the block in order: it links alone");
        }
        this.block = block;
        this.txs = txs;
        this.base = base;
        this.vm = vm;
        this.workers = workers;
        this.predictions = new AccessDag.Prediction[txs.size()];
        this.chunks = (txs.size() + PREDICT_CHUNK - 1) / PREDICT_CHUNK;
        this.shards = linkers == 1 ? Shards.one() : new Shards(linkers, txs.size(), chunks);
    }

    /**
     * One worker's part ({@link WorkerPool.Job}): predict chunks; the worker that finishes the
     * last chunk builds the graph and links it (round 13: whichever worker that is, so a worker
     * never waits at this barrier for one the OS has descheduled, and any one worker can run the
     * whole block alone); the others, out of chunks, wait for the run and go into it.
     */
    public void work(int worker, WorkerPool.Stop stop) {
        if (Phases.ON) {
            Phases.mark(worker, Phases.ENTRY);
        }
        boolean last = chunks == 0 && worker == 0; // an empty block: no chunk to count
        for (int chunk = 0; !incomplete.get() && !stop.raised() && (chunk = nextChunk.getAndIncrement()) < chunks; ) {
            int from = chunk * PREDICT_CHUNK;
            int to = Math.min(txs.size(), from + PREDICT_CHUNK);
            if (!AccessDag.predict(txs, predictions, from, to, base)) {
                incomplete.set(true);
            } else {
                shards.count(predictions, from, to, chunk); // the keys still in this worker's cache
            }
            // after the chunk's predictions: who counts the last one in sees them all
            last = predictedChunks.incrementAndGet() == chunks;
        }
        if (Phases.ON) {
            Phases.mark(worker, Phases.PREDICTED);
        }
        if (last && !incomplete.get() && !stop.raised()) {
            run = new DagRun(AccessDag.of(predictions, shards), block, txs, base, vm, workers, worker);
        } else {
            if (last) {
                abandoned = true;
            }
            // An incomplete prediction leaves chunks unclaimed, so no worker counts the last one:
            // each leaves on its own once its chunk is done.
            for (int idle = 0; run == null && !abandoned && !incomplete.get() && !stop.raised(); ) {
                idle = IdleWait.backOff(idle);
            }
            if (run == null) {
                return;
            }
        }
        if (Phases.ON) {
            Phases.mark(worker, Phases.GRAPH);
        }
        run.work(worker, stop);
    }

    /** Whether every transaction had a complete prediction (after the job): false means nothing ran. */
    public boolean predicted() {
        return run != null;
    }

    /** Whether the run was void: a prediction incomplete or proved wrong (then the block runs optimistically). */
    public boolean mispredicted() {
        return run == null || run.mispredicted();
    }

    public long executions() {
        return run == null ? 0 : run.executions();
    }

    /** The block's output ({@link DagRun#collect}); only for a run that was not {@link #mispredicted()}. */
    public BlockOutput collect(WorkerPool pool, int workers) {
        if (run == null) {
            throw new IllegalStateException("an unpredicted block has no output");
        }
        return run.collect(pool, workers);
    }

    /** The graph the run used (null unless {@link #predicted()}). */
    AccessDag dag() {
        return run == null ? null : run.dag();
    }
}
