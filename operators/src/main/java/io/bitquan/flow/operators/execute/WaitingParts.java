package io.bitquan.flow.operators.execute;

import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.WaitingByChain;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The executor's units and chunks waiting for their turn, per chain, on the heap. They only
 * cross into Flink state when a snapshot is taken ({@link #all}: the executor's operator state):
 * an element is processed whole between two snapshots, so the heap is complete at every one.
 * Before, each waiting part was a keyed-state put, get and delete (a 30-40 KB chunk serialized
 * into RocksDB and back on the executor's serial thread). Units are whole parts and chunks pieces
 * of {@link WaitingByChain}.
 */
final class WaitingParts {
    /** Snapshot order: chain, seq, units before chunks, chunk index. */
    private static final Comparator<BlockPart> ORDER = Comparator.comparing((BlockPart p) -> p.chainId)
            .thenComparingLong(p -> p.seq).thenComparing(p -> p.kind == BlockPart.Kind.PREPARED).thenComparingInt(p -> p.chunkIndex);

    private final WaitingByChain<BlockPart> parts = new WaitingByChain<>();

    /** The map key of chunk {@code chunk} of unit {@code seq} (also VERSION 2's keyed buffer key). */
    static long chunkKey(long seq, int chunk) {
        return WaitingByChain.pieceKey(seq, chunk);
    }

    void put(BlockPart part) {
        if (part.kind == BlockPart.Kind.PREPARED) {
            parts.putPiece(part.chainId, part.seq, part.chunkIndex, part);
        } else {
            parts.putWhole(part.chainId, part.seq, part);
        }
    }

    BlockPart unit(String chainId, long seq) {
        return parts.whole(chainId, seq);
    }

    BlockPart chunk(String chainId, long seq, int chunk) {
        return parts.piece(chainId, seq, chunk);
    }

    /** Removes the unit; true if it was here. */
    boolean removeUnit(String chainId, long seq) {
        return parts.removeWhole(chainId, seq);
    }

    /** Removes the chunk; true if it was here. */
    boolean removeChunk(String chainId, long seq, int chunk) {
        return parts.removePiece(chainId, seq, chunk);
    }

    /** Parts waiting for this chain. */
    int count(String chainId) {
        return parts.count(chainId);
    }

    /** Every waiting part, in a fixed order (chain, seq, units before chunks, chunk index): the snapshot. */
    List<BlockPart> all() {
        return parts.all(ORDER);
    }

    /** Takes back the parts of a snapshot whose chain this subtask serves (a union list: every subtask sees all). */
    void restore(Iterable<BlockPart> snapshot, Predicate<String> mine) {
        WaitingByChain.restore(snapshot, p -> p.chainId, mine, this::put);
    }

    void clear() {
        parts.clear();
    }
}
