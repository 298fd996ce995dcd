package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sorts a block's final write set by key on the worker pool. The sort is the largest serial step
 * left after a parallel run (a 10,000-transaction UTXO block writes 30,000 keys), so each worker
 * sorts one slice and the caller merges. Comparisons first use the key's leading 8 bytes as an
 * unsigned long, falling back to the full canonical order on ties: the same order as
 * {@code StateKey.compareTo}, just cheaper. The result is identical for every slicing.
 */
final class WriteSetSorter {
    private static final int MIN_PARALLEL = 4096;

    private WriteSetSorter() {}

    /** One write with its sort prefix. Immutable. */
    private record Keyed(long prefix, StateWrite write) {}

    private static final java.util.Comparator<Keyed> ORDER = (a, b) -> {
        int c = Long.compareUnsigned(a.prefix, b.prefix);
        return c != 0 ? c : a.write.key().compareTo(b.write.key());
    };

    static List<StateWrite> sort(List<StateWrite> writes, WorkerPool pool, int threads) {
        int n = writes.size();
        Keyed[] keyed = new Keyed[n];
        int slices = n < MIN_PARALLEL ? 1 : Math.min(threads, pool.threads());
        int[] bounds = new int[slices + 1];
        for (int s = 0; s <= slices; s++) {
            bounds[s] = (int) ((long) n * s / slices);
        }
        WorkerPool.Job job = (worker, stop) -> {
            for (int i = bounds[worker]; i < bounds[worker + 1]; i++) {
                StateWrite w = writes.get(i);
                keyed[i] = new Keyed(prefix(w.key().encodedUnsafe()), w);
            }
            Arrays.sort(keyed, bounds[worker], bounds[worker + 1], ORDER);
        };
        if (slices == 1) {
            try {
                job.run(0, new WorkerPool.Stop());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        } else {
            pool.run(slices, job);
        }
        return merge(keyed, bounds);
    }

    private static List<StateWrite> merge(Keyed[] keyed, int[] bounds) {
        int slices = bounds.length - 1;
        int[] pos = Arrays.copyOf(bounds, slices);
        List<StateWrite> out = new ArrayList<>(keyed.length);
        while (true) {
            int best = -1;
            for (int s = 0; s < slices; s++) {
                if (pos[s] < bounds[s + 1] && (best < 0 || ORDER.compare(keyed[pos[s]], keyed[pos[best]]) < 0)) {
                    best = s;
                }
            }
            if (best < 0) {
                return out;
            }
            out.add(keyed[pos[best]++].write());
        }
    }

    private static long prefix(byte[] key) {
        long p = 0;
        for (int i = 0; i < 8; i++) {
            p = (p << 8) | (i < key.length ? key[i] & 0xFF : 0);
        }
        return p;
    }
}
