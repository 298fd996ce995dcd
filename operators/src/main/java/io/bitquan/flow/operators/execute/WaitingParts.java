package io.bitquan.flow.operators.execute;

import io.bitquan.flow.operators.model.BlockPart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The executor's units and chunks waiting for their turn, per chain, on the heap. They only
 * cross into Flink state when a snapshot is taken ({@link #all}: the executor's operator state):
 * an element is processed whole between two snapshots, so the heap is complete at every one.
 * Before, each waiting part was a keyed-state put, get and delete (a 30-40 KB chunk serialized
 * into RocksDB and back on the executor's serial thread).
 */
final class WaitingParts {
    private final Map<String, Map<Long, BlockPart>> units = new HashMap<>();
    private final Map<String, Map<Long, BlockPart>> chunks = new HashMap<>();

    /** The map key of chunk {@code chunk} of unit {@code seq} (chunk counts are far below 2^20). */
    static long chunkKey(long seq, int chunk) {
        return (seq << 20) | chunk;
    }

    void put(BlockPart part) {
        if (part.kind == BlockPart.Kind.PREPARED) {
            chunks.computeIfAbsent(part.chainId, k -> new HashMap<>()).put(chunkKey(part.seq, part.chunkIndex), part);
        } else {
            units.computeIfAbsent(part.chainId, k -> new HashMap<>()).put(part.seq, part);
        }
    }

    BlockPart unit(String chainId, long seq) {
        Map<Long, BlockPart> m = units.get(chainId);
        return m == null ? null : m.get(seq);
    }

    BlockPart chunk(String chainId, long seq, int chunk) {
        Map<Long, BlockPart> m = chunks.get(chainId);
        return m == null ? null : m.get(chunkKey(seq, chunk));
    }

    /** Removes the unit; true if it was here. */
    boolean removeUnit(String chainId, long seq) {
        Map<Long, BlockPart> m = units.get(chainId);
        return m != null && m.remove(seq) != null;
    }

    /** Removes the chunk; true if it was here. */
    boolean removeChunk(String chainId, long seq, int chunk) {
        Map<Long, BlockPart> m = chunks.get(chainId);
        return m != null && m.remove(chunkKey(seq, chunk)) != null;
    }

    /** Parts waiting for this chain. */
    int count(String chainId) {
        Map<Long, BlockPart> u = units.get(chainId);
        Map<Long, BlockPart> c = chunks.get(chainId);
        return (u == null ? 0 : u.size()) + (c == null ? 0 : c.size());
    }

    /** Every waiting part, in a fixed order (chain, seq, units before chunks, chunk index): the snapshot. */
    List<BlockPart> all() {
        List<BlockPart> out = new ArrayList<>();
        for (Map<Long, BlockPart> m : new TreeMap<>(units).values()) {
            out.addAll(m.values());
        }
        for (Map<Long, BlockPart> m : new TreeMap<>(chunks).values()) {
            out.addAll(m.values());
        }
        out.sort(Comparator.comparing((BlockPart p) -> p.chainId).thenComparingLong(p -> p.seq)
                .thenComparing(p -> p.kind == BlockPart.Kind.PREPARED).thenComparingInt(p -> p.chunkIndex));
        return out;
    }

    /** Takes back the parts of a snapshot whose chain this subtask serves (a union list: every subtask sees all). */
    void restore(Iterable<BlockPart> parts, Predicate<String> mine) {
        for (BlockPart p : parts) {
            if (mine.test(p.chainId)) {
                put(p);
            }
        }
    }

    void clear() {
        units.clear();
        chunks.clear();
    }
}
