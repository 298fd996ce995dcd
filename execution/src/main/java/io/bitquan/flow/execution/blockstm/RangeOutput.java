package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.engine.KeyOrder;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The optimistic run's output phase done by the run's own workers ({@link BlockRun#collectOutputInRun}):
 * the final write set collected in chunks of transactions that the workers leaving the done run
 * claim in turn (round 11), each chunk's writes split at once into key ranges, and then each range
 * sorted by the worker that claims it, in the same pool run; the caller only concatenates the
 * sorted ranges ({@link #joined}). Until round 19 the caller sorted the whole write set alone after
 * the run, with the other worker idle: 2.9 ms of a 29.7 ms token block at two workers (round 20's
 * probe, {@code docs/probes/TokenSplit.java}), 10 % of the caller's samples.
 *
 * <p>The result is the same for any cuts: the ranges partition the key order, every key is in
 * exactly one chunk (its last writer's) and so in exactly one range, and keys are distinct, so the
 * concatenated sorted ranges are the sorted write set. The cuts only balance the ranges: quantiles
 * of the keys written by a few transactions spread over the block, taken by the first worker to
 * leave the run and published once ({@link #cuts}), so every chunk is split at the same cuts.
 * Ranges are claimed like chunks, twice as many as workers, so a worker the OS has descheduled
 * holds at most one.
 *
 * <p>Shared state: chunk {@code k}'s range lists are written by the worker that claimed {@code k}
 * before it increments {@code chunksDone} (a volatile read-modify-write); a range is sorted only
 * after {@code chunksDone} reached the chunk count, so the sorter sees every list. {@code sorted[r]}
 * is written by the worker that claimed range {@code r} and read by the caller after the pool run
 * returned (the pool's latch orders it).
 */
final class RangeOutput {
    /** Ranges per worker: a descheduled worker then holds up at most a fraction of the sort. */
    static final int RANGES_PER_WORKER = 2;
    /** Transactions, spread over the block, whose written keys place the cuts. */
    static final int SAMPLE_TXS = 64;
    private static final VarHandle CUTS;

    static {
        try {
            CUTS = MethodHandles.lookup().findVarHandle(RangeOutput.class, "cuts", StateKey[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final MvMemory memory;
    private final StateView base;
    private final int blockSize;
    private final int chunkTxs;
    private final int ranges;
    /** [chunk][range]: the chunk's final writes in that key range, unsorted. */
    private final List<StateWrite>[][] parts;
    /** Per chunk: its first credit that broke the money range ({@link MvMemory.FinalWrites}), if any. */
    private final int[] overflowTx;
    private final RuleViolation[] overflow;
    private final List<StateWrite>[] sorted;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final AtomicInteger chunksDone = new AtomicInteger();
    private final AtomicInteger nextRange = new AtomicInteger();
    /** The ranges' {@code ranges - 1} cuts: set once by CAS ({@link #cuts}). */
    private volatile StateKey[] cuts;

    @SuppressWarnings("unchecked")
    RangeOutput(MvMemory memory, StateView base, int chunkTxs, int workers) {
        this.memory = memory;
        this.base = base;
        this.blockSize = memory.blockSize();
        this.chunkTxs = chunkTxs;
        this.ranges = Math.max(2, RANGES_PER_WORKER * workers);
        int chunks = Math.max(1, (blockSize + chunkTxs - 1) / chunkTxs);
        this.parts = new List[chunks][];
        this.overflowTx = new int[chunks];
        this.overflow = new RuleViolation[chunks];
        this.sorted = new List[ranges];
    }

    int chunks() {
        return parts.length;
    }

    /**
     * A worker's share of the output, called when it saw the run done (no incarnation runs or will
     * run: the memory no longer changes). Returns early, leaving the output incomplete, once
     * {@code stop} is raised.
     */
    void work(WorkerPool.Stop stop) {
        StateKey[] at = cuts();
        int k;
        while ((k = nextChunk.getAndIncrement()) < parts.length && !stop.raised()) {
            collect(k, at);
            chunksDone.incrementAndGet();
        }
        // Every chunk is claimed: wait for those other workers still hold (at most one each).
        for (int idle = 1; chunksDone.get() < parts.length; ) {
            if (stop.raised()) {
                return;
            }
            idle = IdleWait.backOff(idle);
        }
        int r;
        while ((r = nextRange.getAndIncrement()) < ranges && !stop.raised()) {
            sort(r);
        }
    }

    private void collect(int k, StateKey[] at) {
        int from = k * chunkTxs;
        MvMemory.FinalWrites chunk = memory.finalWritesOf(from, Math.min(blockSize, from + chunkTxs), base);
        List<StateWrite>[] split = newLists(ranges, chunk.writes().size() / ranges + 8);
        for (StateWrite w : chunk.writes()) {
            split[rangeOf(w.key(), at)].add(w);
        }
        overflowTx[k] = chunk.overflowTx();
        overflow[k] = chunk.overflow();
        parts[k] = split;
    }

    /** The range of {@code key}: the number of cuts at or below it. */
    static int rangeOf(StateKey key, StateKey[] at) {
        int r = 0;
        while (r < at.length && key.compareTo(at[r]) >= 0) {
            r++;
        }
        return r;
    }

    private void sort(int r) {
        int total = 0;
        for (List<StateWrite>[] chunk : parts) {
            total += chunk[r].size();
        }
        StateWrite[] all = new StateWrite[total];
        int i = 0;
        for (List<StateWrite>[] chunk : parts) {
            for (StateWrite w : chunk[r]) {
                all[i++] = w;
            }
        }
        KeyOrder.sort(all, 0, total);
        sorted[r] = Arrays.asList(all);
    }

    /** The published cuts; the first caller places them (a loser of the CAS takes the winner's). */
    private StateKey[] cuts() {
        StateKey[] at = cuts;
        if (at == null) {
            at = placeCuts();
            if (!CUTS.compareAndSet(this, null, at)) {
                at = cuts;
            }
        }
        return at;
    }

    /** Quantiles of the keys written by {@link #SAMPLE_TXS} transactions spread over the block. */
    private StateKey[] placeCuts() {
        List<StateKey> sample = new ArrayList<>(SAMPLE_TXS * 4);
        int step = Math.max(1, blockSize / SAMPLE_TXS);
        for (int tx = step / 2; tx < blockSize; tx += step) {
            StateKey[] keys = memory.writtenKeys(tx);
            if (keys != null) {
                sample.addAll(Arrays.asList(keys));
            }
        }
        if (sample.isEmpty()) {
            return new StateKey[0]; // the sampled transactions wrote nothing: every write in range 0
        }
        sample.sort(null);
        StateKey[] at = new StateKey[ranges - 1];
        for (int r = 1; r < ranges; r++) {
            at[r - 1] = sample.get(sample.size() * r / ranges);
        }
        return at;
    }

    /**
     * The sorted write set, with the lowest chunk's overflow, or {@code null} when the output is
     * incomplete (the run was stopped). Call after the pool run returned.
     */
    MvMemory.FinalWrites joined() {
        int total = 0;
        for (List<StateWrite> range : sorted) {
            if (range == null) {
                return null;
            }
            total += range.size();
        }
        List<StateWrite> all = new ArrayList<>(total);
        for (List<StateWrite> range : sorted) {
            all.addAll(range);
        }
        int tx = -1;
        RuleViolation first = null;
        for (int k = 0; k < parts.length; k++) {
            if (overflow[k] != null && (first == null || overflowTx[k] < tx)) {
                tx = overflowTx[k];
                first = overflow[k];
            }
        }
        return new MvMemory.FinalWrites(all, tx, first);
    }

    @SuppressWarnings("unchecked")
    private static List<StateWrite>[] newLists(int n, int capacity) {
        List<StateWrite>[] lists = new List[n];
        for (int i = 0; i < n; i++) {
            lists[i] = new ArrayList<>(capacity);
        }
        return lists;
    }
}
