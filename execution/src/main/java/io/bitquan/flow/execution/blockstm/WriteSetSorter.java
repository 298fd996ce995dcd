package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Collects and sorts a block's final write set on the worker pool. Collecting and sorting are
 * the largest serial steps left after a parallel run (a 10,000-transaction UTXO block writes
 * 30,000 keys), so the block's written keys are cut into one key range per worker
 * ({@link MvMemory#splitters}, quantiles of a sample of written keys); each worker collects the
 * final writes of its range ({@link MvMemory#finalWritesOf}, which also resolves credits) and
 * sorts them, and the sorted ranges are simply concatenated. Before round 5 the cut was by last
 * writer (transaction index), which left the second worker with most of the keys (a key's last
 * writer is more often late in the block: JFR on token/10000 at 2 workers had the pool thread's
 * slice at twice the caller's, the caller waiting) and needed a merge on the caller. The result
 * is identical for every cut.
 */
public final class WriteSetSorter {
    private static final int MIN_PARALLEL = 4096;

    private WriteSetSorter() {}

    static MvMemory.FinalWrites collect(MvMemory memory, StateView base, WorkerPool pool, int threads) {
        int n = memory.blockSize();
        int wanted = n * 3 < MIN_PARALLEL ? 1 : Math.min(threads, pool.threads());
        StateKey[] sampled = wanted == 1 ? null : memory.splitters(wanted);
        StateKey[] cuts = sampled == null ? new StateKey[0] : sampled;
        int slices = cuts.length + 1;
        MvMemory.FinalWrites[] parts = new MvMemory.FinalWrites[slices];
        WorkerPool.Job job = (worker, stop) -> {
            // Ranges [cut(w-1), cut(w)): disjoint and covering (equal cuts leave one empty).
            StateKey from = worker == 0 ? null : cuts[worker - 1];
            StateKey to = worker == slices - 1 ? null : cuts[worker];
            MvMemory.FinalWrites part = memory.finalWritesOf(0, n, base, from, to);
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
        List<StateWrite> all = new ArrayList<>(total);
        for (MvMemory.FinalWrites part : parts) {
            all.addAll(part.writes());
        }
        return new MvMemory.FinalWrites(all, overflowTx, overflow);
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
