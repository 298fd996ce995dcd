package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects and sorts a block's final write set on the worker pool. Collecting and sorting are
 * the largest serial steps left after a parallel run (a 10,000-transaction UTXO block writes
 * 30,000 keys), so each worker collects the writes whose last writer is in its slice of
 * transaction indices ({@link MvMemory#finalWritesOf}, which also resolves credits) and sorts
 * them; the caller merges ({@code StateKey.compareTo} compares a cached 8-byte prefix first).
 * The result is identical for every slicing.
 */
public final class WriteSetSorter {
    private static final int MIN_PARALLEL = 4096;

    private WriteSetSorter() {}

    static MvMemory.FinalWrites collect(MvMemory memory, StateView base, WorkerPool pool, int threads) {
        int n = memory.blockSize();
        int slices = n * 3 < MIN_PARALLEL ? 1 : Math.min(threads, pool.threads());
        int[] txBounds = new int[slices + 1];
        for (int s = 0; s <= slices; s++) {
            txBounds[s] = (int) ((long) n * s / slices);
        }
        MvMemory.FinalWrites[] parts = new MvMemory.FinalWrites[slices];
        WorkerPool.Job job = (worker, stop) -> {
            MvMemory.FinalWrites part = memory.finalWritesOf(txBounds[worker], txBounds[worker + 1], base);
            part.writes().sort(null);
            parts[worker] = part;
        };
        if (slices == 1) {
            try {
                job.run(0, new WorkerPool.Stop());
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return parts[0];
        }
        pool.run(slices, job);
        int total = 0;
        int overflowTx = -1;
        RuleViolation overflow = null;
        for (MvMemory.FinalWrites part : parts) {
            total += part.writes().size();
            if (part.overflow() != null && (overflow == null || part.overflowTx() < overflowTx)) {
                overflowTx = part.overflowTx();
                overflow = part.overflow();
            }
        }
        StateWrite[] all = new StateWrite[total];
        int[] bounds = new int[slices + 1];
        for (int s = 0; s < slices; s++) {
            List<StateWrite> w = parts[s].writes();
            bounds[s + 1] = bounds[s] + w.size();
            for (int i = 0; i < w.size(); i++) {
                all[bounds[s] + i] = w.get(i);
            }
        }
        return new MvMemory.FinalWrites(merge(all, bounds), overflowTx, overflow);
    }

    /**
     * Merges sorted runs {@code keyed[bounds[s] .. bounds[s + 1])} into one sorted list (a few runs,
     * one per worker: a linear scan over the run heads beats a heap).
     */
    public static List<StateWrite> merge(StateWrite[] keyed, int[] bounds) {
        int slices = bounds.length - 1;
        int[] pos = Arrays.copyOf(bounds, slices);
        List<StateWrite> out = new ArrayList<>(keyed.length);
        while (true) {
            int best = -1;
            for (int s = 0; s < slices; s++) {
                if (pos[s] < bounds[s + 1] && (best < 0 || keyed[pos[s]].compareTo(keyed[pos[best]]) < 0)) {
                    best = s;
                }
            }
            if (best < 0) {
                return out;
            }
            out.add(keyed[pos[best]++]);
        }
    }
}
