package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Sorts a block's final write set by key on the worker pool. The sort is the largest serial step
 * left after a parallel run (a 10,000-transaction UTXO block writes 30,000 keys), so each worker
 * sorts one slice and the caller merges ({@code StateKey.compareTo} compares a cached 8-byte
 * prefix first, so comparisons are cheap). The result is identical for every slicing.
 */
final class WriteSetSorter {
    private static final int MIN_PARALLEL = 4096;

    private WriteSetSorter() {}

    /**
     * The block's final write set, sorted: each worker collects the writes whose last writer is in
     * its slice of transaction indices ({@link MvMemory#finalWritesOf}) and sorts them; the caller
     * merges. Collecting was a serial walk over every key before, the largest serial step left.
     */
    static List<StateWrite> collect(MvMemory memory, WorkerPool pool, int threads) {
        int n = memory.blockSize();
        int slices = n * 3 < MIN_PARALLEL ? 1 : Math.min(threads, pool.threads());
        int[] txBounds = new int[slices + 1];
        for (int s = 0; s <= slices; s++) {
            txBounds[s] = (int) ((long) n * s / slices);
        }
        @SuppressWarnings("unchecked")
        List<StateWrite>[] parts = new List[slices];
        WorkerPool.Job job = (worker, stop) -> {
            List<StateWrite> part = memory.finalWritesOf(txBounds[worker], txBounds[worker + 1]);
            part.sort(null);
            parts[worker] = part;
        };
        if (slices == 1) {
            try {
                job.run(0, new WorkerPool.Stop());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return parts[0];
        }
        pool.run(slices, job);
        int total = 0;
        for (List<StateWrite> part : parts) {
            total += part.size();
        }
        StateWrite[] all = new StateWrite[total];
        int[] bounds = new int[slices + 1];
        for (int s = 0; s < slices; s++) {
            bounds[s + 1] = bounds[s] + parts[s].size();
            for (int i = 0; i < parts[s].size(); i++) {
                all[bounds[s] + i] = parts[s].get(i);
            }
        }
        return merge(all, bounds);
    }

    static List<StateWrite> sort(List<StateWrite> writes, WorkerPool pool, int threads) {
        int n = writes.size();
        StateWrite[] keyed = writes.toArray(new StateWrite[0]);
        int slices = n < MIN_PARALLEL ? 1 : Math.min(threads, pool.threads());
        int[] bounds = new int[slices + 1];
        for (int s = 0; s <= slices; s++) {
            bounds[s] = (int) ((long) n * s / slices);
        }
        WorkerPool.Job job = (worker, stop) -> {
            Arrays.sort(keyed, bounds[worker], bounds[worker + 1]);
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

    private static List<StateWrite> merge(StateWrite[] keyed, int[] bounds) {
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
