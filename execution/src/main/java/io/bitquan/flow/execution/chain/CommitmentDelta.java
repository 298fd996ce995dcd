package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.StateChange;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The lattice delta of a block's changes. Element hashing (a 2 KiB BLAKE3 XOF, two per changed
 * key) dominates commitment cost, and lattice addition commutes, so chunks hash in parallel and
 * the result does not depend on how the work was split (the Flink job does the same across
 * CommitmentPartition subtasks).
 */
final class CommitmentDelta {
    private static final int CHUNK = 256;

    private CommitmentDelta() {}

    static LtHash of(List<StateChange> changes, ForkJoinPool pool) {
        if (pool == null || changes.size() <= CHUNK) {
            return sequential(changes, 0, changes.size());
        }
        int chunks = (changes.size() + CHUNK - 1) / CHUNK;
        return pool.submit(() -> IntStream.range(0, chunks).parallel()
                .mapToObj(c -> sequential(changes, c * CHUNK, Math.min(changes.size(), (c + 1) * CHUNK)))
                .reduce(new LtHash(), (a, b) -> a.copy().add(b))).join();
    }

    private static LtHash sequential(List<StateChange> changes, int from, int to) {
        LtHash delta = new LtHash();
        for (int i = from; i < to; i++) {
            delta.apply(changes.get(i));
        }
        return delta;
    }
}
