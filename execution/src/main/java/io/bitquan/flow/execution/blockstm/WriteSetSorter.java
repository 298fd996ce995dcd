package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.engine.KeyOrder;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects and sorts a block's final write set on the worker pool. Collecting and sorting are
 * the largest serial steps left after a parallel run (a 10,000-transaction UTXO block writes
 * 30,000 keys), so they run in two parallel steps: each worker collects the final writes whose
 * last writer is in its slice of transaction indices ({@link MvMemory#finalWritesOf}, which also
 * resolves credits); the caller cuts the key order into one range per worker at quantiles of a
 * sample of those writes ({@link #cuts}); then each worker picks its range out of every slice's
 * writes and sorts it, and the sorted ranges are concatenated (no merge). Why not sort by
 * transaction slice: a key's last writer is more often late in the block (token/10000: 4,800
 * final keys by the first half of the transactions, 10,186 by the second), so the pool thread
 * sorted twice the caller's share (JFR) and the caller then merged alone. The result is
 * identical for every cut.
 */
public final class WriteSetSorter {
    private static final int MIN_PARALLEL = 4096;
    /** Keys sampled per range to place the cuts. */
    private static final int SAMPLE_PER_RANGE = 64;

    private WriteSetSorter() {}

    static MvMemory.FinalWrites collect(MvMemory memory, StateView base, WorkerPool pool, int threads) {
        int n = memory.blockSize();
        int slices = n * 3 < MIN_PARALLEL ? 1 : Math.min(threads, pool.threads());
        if (slices == 1) {
            MvMemory.FinalWrites all = memory.finalWritesOf(0, n, base);
            KeyOrder.sort(all.writes());
            return all;
        }
        int[] txBounds = new int[slices + 1];
        for (int s = 0; s <= slices; s++) {
            txBounds[s] = (int) ((long) n * s / slices);
        }
        MvMemory.FinalWrites[] collected = new MvMemory.FinalWrites[slices];
        pool.run(slices, (worker, stop) ->
                collected[worker] = memory.finalWritesOf(txBounds[worker], txBounds[worker + 1], base));
        StateKey[] cuts = cuts(collected, slices);
        @SuppressWarnings("unchecked")
        List<StateWrite>[] sorted = new List[slices];
        pool.run(slices, (worker, stop) -> {
            StateKey from = worker == 0 ? null : cuts[worker - 1];
            StateKey to = worker == slices - 1 ? null : cuts[worker];
            List<StateWrite> mine = new ArrayList<>();
            for (MvMemory.FinalWrites part : collected) {
                for (StateWrite w : part.writes()) {
                    if ((from == null || w.key().compareTo(from) >= 0) && (to == null || w.key().compareTo(to) < 0)) {
                        mine.add(w);
                    }
                }
            }
            KeyOrder.sort(mine);
            sorted[worker] = mine;
        });
        return joined(sorted, collected);
    }

    /** {@code writes} concatenated, with the lowest transaction's overflow among {@code parts}. */
    private static MvMemory.FinalWrites joined(List<StateWrite>[] writes, MvMemory.FinalWrites[] parts) {
        int total = 0;
        for (List<StateWrite> w : writes) {
            total += w.size();
        }
        int overflowTx = -1;
        RuleViolation overflow = null;
        for (MvMemory.FinalWrites part : parts) {
            if (part.overflow() != null && (overflow == null || part.overflowTx() < overflowTx)) {
                overflowTx = part.overflowTx();
                overflow = part.overflow();
            }
        }
        List<StateWrite> all = new ArrayList<>(total);
        for (List<StateWrite> w : writes) {
            all.addAll(w);
        }
        return new MvMemory.FinalWrites(all, overflowTx, overflow);
    }

    /**
     * {@code slices - 1} keys cutting the final write set into ranges of about equal size:
     * quantiles of an evenly strided sample of the collected writes (each key appears in exactly
     * one slice's list, so the sample is of distinct final keys). Ranges are
     * [cut(r-1), cut(r)), the first and last open-ended; equal cuts leave a range empty.
     */
    static StateKey[] cuts(MvMemory.FinalWrites[] collected, int slices) {
        int total = 0;
        for (MvMemory.FinalWrites part : collected) {
            total += part.writes().size();
        }
        int step = Math.max(1, total / (SAMPLE_PER_RANGE * slices));
        List<StateKey> sample = new ArrayList<>(SAMPLE_PER_RANGE * slices + slices);
        for (MvMemory.FinalWrites part : collected) {
            List<StateWrite> w = part.writes();
            for (int i = 0; i < w.size(); i += step) {
                sample.add(w.get(i).key());
            }
        }
        StateKey[] cuts = new StateKey[slices - 1];
        if (sample.isEmpty()) {
            return cuts; // no writes at all: open-ended (null) cuts, and every range is empty
        }
        sample.sort(null);
        for (int r = 1; r < slices; r++) {
            cuts[r - 1] = sample.get(sample.size() * r / slices);
        }
        return cuts;
    }
}
