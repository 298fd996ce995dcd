package io.bitquan.flow.operators.commit;

import io.bitquan.flow.operators.model.CommitPart;
import io.bitquan.flow.operators.model.WaitingByChain;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The committer's summaries and deltas waiting for their unit's turn, per chain, on the heap
 * (the executor's {@code WaitingParts}, for the committer). They reach Flink state only in a
 * snapshot ({@link #all}: the committer's operator state {@code waiting-commits-v1}): an element is
 * processed whole between two snapshots, so the heap is complete at every one. Before, every
 * SUMMARY (a block's encoded changes and receipt leaves, ~250 KB for 500 transactions) and every
 * DELTA was a keyed-state put, get and delete, serialized into RocksDB and back. Summaries are
 * whole parts and deltas pieces of {@link WaitingByChain}.
 */
final class WaitingCommits {
    /** Snapshot order: chain, seq, summary before deltas, bucket. */
    private static final Comparator<CommitPart> ORDER = Comparator.comparing((CommitPart p) -> p.chainId)
            .thenComparingLong(p -> p.seq).thenComparing(p -> p.kind == CommitPart.Kind.DELTA).thenComparingInt(p -> p.bucket);

    private final WaitingByChain<CommitPart> parts = new WaitingByChain<>();

    /** The map key of bucket {@code bucket}'s delta of unit {@code seq} (also VERSION 1's keyed buffer key). */
    static long deltaKey(long seq, int bucket) {
        return WaitingByChain.pieceKey(seq, bucket);
    }

    void put(CommitPart part) {
        switch (part.kind) {
            case SUMMARY -> parts.putWhole(part.chainId, part.seq, part);
            case DELTA -> parts.putPiece(part.chainId, part.seq, part.bucket, part);
            default -> throw new IllegalArgumentException("unexpected " + part.kind + " at the committer (seq " + part.seq + ")");
        }
    }

    CommitPart summary(String chainId, long seq) {
        return parts.whole(chainId, seq);
    }

    CommitPart delta(String chainId, long seq, int bucket) {
        return parts.piece(chainId, seq, bucket);
    }

    /** Removes the summary; true if it was here. */
    boolean removeSummary(String chainId, long seq) {
        return parts.removeWhole(chainId, seq);
    }

    /** Removes the delta; true if it was here. */
    boolean removeDelta(String chainId, long seq, int bucket) {
        return parts.removePiece(chainId, seq, bucket);
    }

    /** Parts waiting for this chain. */
    int count(String chainId) {
        return parts.count(chainId);
    }

    /** Every waiting part in a fixed order (chain, seq, summary before deltas, bucket): the snapshot. */
    List<CommitPart> all() {
        return parts.all(ORDER);
    }

    /** Takes back the parts of a snapshot whose chain this subtask serves (a union list: every subtask sees all). */
    void restore(Iterable<CommitPart> snapshot, Predicate<String> mine) {
        WaitingByChain.restore(snapshot, p -> p.chainId, mine, this::put);
    }
}
