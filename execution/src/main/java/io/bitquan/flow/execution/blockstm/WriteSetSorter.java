package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.engine.KeyOrder;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.util.Arrays;
import java.util.List;

/**
 * Collects and sorts a block's final write set on the worker pool. Collecting and sorting are
 * the largest serial steps left after a parallel run (a 10,000-transaction UTXO block writes
 * 30,000 keys), so they run in two parallel steps:
 * <ol>
 *   <li>each worker collects the final writes whose last writer is in its slice of transaction
 *       indices ({@link MvMemory#finalWritesOf}, which also resolves credits) and sorts them at
 *       once, while they are in its own cache ({@link KeyOrder});</li>
 *   <li>the caller cuts the key order into one range per worker at quantiles of the sorted
 *       slices and finds each cut in each slice by binary search; then each worker merges its
 *       range of every slice into its own part of one output array (no concatenation).</li>
 * </ol>
 * Why: before (round 6 to 8) each worker scanned <em>every</em> slice's unsorted writes with two
 * key compares per write to pick its range, then sorted it; token keys tie on their 8-byte
 * prefix, so each compare read both encodings, most written by the other core. Measured
 * (token/10000, 2 workers, thread CPU): the output phase cost twice the sequential engine's sort
 * of the same write set. Now every write is compared once in the merge and sorted on the core
 * that made it. The result is identical for every slicing and every cut.
 */
public final class WriteSetSorter {
    private static final int MIN_PARALLEL = 4096;
    /** Keys sampled per range to place the cuts. */
    private static final int SAMPLE_PER_RANGE = 64;
    private static final StateWrite[] NONE = new StateWrite[0];

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
        StateWrite[][] sortedSlices = new StateWrite[slices][];
        pool.run(slices, (worker, stop) -> {
            MvMemory.FinalWrites part = memory.finalWritesOf(txBounds[worker], txBounds[worker + 1], base);
            StateWrite[] mine = part.writes().toArray(NONE);
            KeyOrder.sort(mine, 0, mine.length);
            collected[worker] = part;
            sortedSlices[worker] = mine;
        });
        StateKey[] cuts = cuts(sortedSlices, slices);
        // bounds[s][r]: where range r starts in slice s (bounds[s][slices] = the slice's end).
        int[][] bounds = new int[slices][slices + 1];
        int[] outStart = new int[slices + 1];
        for (int s = 0; s < slices; s++) {
            StateWrite[] slice = sortedSlices[s];
            for (int r = 1; r < slices; r++) {
                bounds[s][r] = cuts[r - 1] == null ? slice.length : lowerBound(slice, cuts[r - 1]);
            }
            bounds[s][slices] = slice.length;
            for (int r = 0; r < slices; r++) {
                outStart[r + 1] += bounds[s][r + 1] - bounds[s][r];
            }
        }
        for (int r = 0; r < slices; r++) {
            outStart[r + 1] += outStart[r];
        }
        StateWrite[] out = new StateWrite[outStart[slices]];
        pool.run(slices, (worker, stop) -> merge(sortedSlices, bounds, worker, out, outStart[worker]));
        int overflowTx = -1;
        RuleViolation overflow = null;
        for (MvMemory.FinalWrites part : collected) {
            if (part.overflow() != null && (overflow == null || part.overflowTx() < overflowTx)) {
                overflowTx = part.overflowTx();
                overflow = part.overflow();
            }
        }
        return new MvMemory.FinalWrites(Arrays.asList(out), overflowTx, overflow);
    }

    /**
     * Merges range {@code r} of every sorted slice into {@code out} from {@code at}: a k-way merge
     * that picks the smallest head by a linear scan (k is the worker count; at 2 it is the usual
     * two-way merge, one compare per write). Keys are distinct across slices (each key has one
     * last writer), so ties never occur.
     */
    private static void merge(StateWrite[][] slices, int[][] bounds, int r, StateWrite[] out, int at) {
        int k = slices.length;
        int[] next = new int[k];
        int[] end = new int[k];
        for (int s = 0; s < k; s++) {
            next[s] = bounds[s][r];
            end[s] = bounds[s][r + 1];
        }
        while (true) {
            int best = -1;
            StateKey bestKey = null;
            for (int s = 0; s < k; s++) {
                if (next[s] < end[s]) {
                    StateKey key = slices[s][next[s]].key();
                    if (best < 0 || key.compareTo(bestKey) < 0) {
                        best = s;
                        bestKey = key;
                    }
                }
            }
            if (best < 0) {
                return;
            }
            out[at++] = slices[best][next[best]++];
        }
    }

    /** The first position in sorted {@code slice} whose key is not below {@code key}. */
    static int lowerBound(StateWrite[] slice, StateKey key) {
        int lo = 0;
        int hi = slice.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (slice[mid].key().compareTo(key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * {@code slices - 1} keys cutting the final write set into ranges of about equal size:
     * quantiles of an evenly strided sample of the sorted slices (each key appears in exactly one
     * slice, so the sample is of distinct final keys). Ranges are [cut(r-1), cut(r)), the first
     * and last open-ended; equal cuts leave a range empty; a null cut (no writes at all) leaves
     * every range but the first empty.
     */
    static StateKey[] cuts(StateWrite[][] sortedSlices, int slices) {
        int total = 0;
        for (StateWrite[] part : sortedSlices) {
            total += part.length;
        }
        int step = Math.max(1, total / (SAMPLE_PER_RANGE * slices));
        StateKey[] sample = new StateKey[total / step + slices];
        int count = 0;
        for (StateWrite[] part : sortedSlices) {
            for (int i = 0; i < part.length; i += step) {
                sample[count++] = part[i].key();
            }
        }
        StateKey[] cuts = new StateKey[slices - 1];
        if (count == 0) {
            return cuts;
        }
        Arrays.sort(sample, 0, count);
        for (int r = 1; r < slices; r++) {
            cuts[r - 1] = sample[count * r / slices];
        }
        return cuts;
    }
}
