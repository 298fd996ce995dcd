package io.bitquan.flow.operators.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.flink.api.common.TaskInfo;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;

/**
 * Parts waiting for their turn, per chain, on the heap: whole parts by sequence number (the
 * executor's units, the committer's summaries) and pieces by (sequence, index) (chunks, bucket
 * deltas). An operator keeps them here and writes them to Flink state only in a snapshot
 * ({@link #all}, as union operator state): an element is processed whole between two snapshots,
 * so the heap is complete at every one, and a waiting part costs no state put, get and delete.
 */
public final class WaitingByChain<P> {
    private final Map<String, Map<Long, P>> wholes = new HashMap<>();
    private final Map<String, Map<Long, P>> pieces = new HashMap<>();

    /** The map key of piece {@code index} of {@code seq} (chunk and bucket counts are far below 2^20). */
    public static long pieceKey(long seq, int index) {
        return (seq << 20) | index;
    }

    public void putWhole(String chainId, long seq, P part) {
        wholes.computeIfAbsent(chainId, k -> new HashMap<>()).put(seq, part);
    }

    public void putPiece(String chainId, long seq, int index, P part) {
        pieces.computeIfAbsent(chainId, k -> new HashMap<>()).put(pieceKey(seq, index), part);
    }

    public P whole(String chainId, long seq) {
        Map<Long, P> m = wholes.get(chainId);
        return m == null ? null : m.get(seq);
    }

    public P piece(String chainId, long seq, int index) {
        Map<Long, P> m = pieces.get(chainId);
        return m == null ? null : m.get(pieceKey(seq, index));
    }

    /** Removes the whole part; true if it was here. */
    public boolean removeWhole(String chainId, long seq) {
        Map<Long, P> m = wholes.get(chainId);
        return m != null && m.remove(seq) != null;
    }

    /** Removes the piece; true if it was here. */
    public boolean removePiece(String chainId, long seq, int index) {
        Map<Long, P> m = pieces.get(chainId);
        return m != null && m.remove(pieceKey(seq, index)) != null;
    }

    /** Parts waiting for this chain. */
    public int count(String chainId) {
        Map<Long, P> w = wholes.get(chainId);
        Map<Long, P> p = pieces.get(chainId);
        return (w == null ? 0 : w.size()) + (p == null ? 0 : p.size());
    }

    /** Every waiting part in {@code order} (a total order, so a snapshot does not depend on map order). */
    public List<P> all(Comparator<P> order) {
        List<P> out = new ArrayList<>();
        wholes.values().forEach(m -> out.addAll(m.values()));
        pieces.values().forEach(m -> out.addAll(m.values()));
        out.sort(order);
        return out;
    }

    /**
     * Takes back, with {@code put}, the parts of a snapshot whose chain this subtask serves (a
     * union list: every subtask sees all of them).
     */
    public static <P> void restore(Iterable<P> parts, Function<P, String> chainOf, Predicate<String> mine, Consumer<P> put) {
        for (P p : parts) {
            if (mine.test(chainOf.apply(p))) {
                put.accept(p);
            }
        }
    }

    /** The chains a keyed-by-chain subtask serves: those whose key group lands on it. */
    public static Predicate<String> servedBy(TaskInfo task) {
        int maxParallelism = task.getMaxNumberOfParallelSubtasks();
        int parallelism = task.getNumberOfParallelSubtasks();
        int index = task.getIndexOfThisSubtask();
        return chainId -> KeyGroupRangeAssignment.assignKeyToParallelOperator(chainId, maxParallelism, parallelism) == index;
    }

    public void clear() {
        wholes.clear();
        pieces.clear();
    }
}
