package io.bitquan.flow.operators.commit;

import io.bitquan.flow.operators.model.CommitPart;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The committer's summaries and deltas waiting for their unit's turn, per chain, on the heap
 * (the executor's {@code WaitingParts}, for the committer). They reach Flink state only in a
 * snapshot ({@link #all}: the committer's operator state {@code waiting-commits-v1}): an element is
 * processed whole between two snapshots, so the heap is complete at every one. Before, every
 * SUMMARY (a block's encoded changes and receipt leaves, ~250 KB for 500 transactions) and every
 * DELTA was a keyed-state put, get and delete, serialized into RocksDB and back.
 */
final class WaitingCommits {
    private final Map<String, Map<Long, CommitPart>> summaries = new HashMap<>();
    private final Map<String, Map<Long, CommitPart>> deltas = new HashMap<>();

    /** The map key of bucket {@code bucket}'s delta of unit {@code seq} (buckets are far below 2^20). */
    static long deltaKey(long seq, int bucket) {
        return (seq << 20) | bucket;
    }

    void put(CommitPart part) {
        switch (part.kind) {
            case SUMMARY -> summaries.computeIfAbsent(part.chainId, k -> new HashMap<>()).put(part.seq, part);
            case DELTA -> deltas.computeIfAbsent(part.chainId, k -> new HashMap<>()).put(deltaKey(part.seq, part.bucket), part);
            default -> throw new IllegalArgumentException("unexpected " + part.kind + " at the committer (seq " + part.seq + ")");
        }
    }

    CommitPart summary(String chainId, long seq) {
        Map<Long, CommitPart> m = summaries.get(chainId);
        return m == null ? null : m.get(seq);
    }

    CommitPart delta(String chainId, long seq, int bucket) {
        Map<Long, CommitPart> m = deltas.get(chainId);
        return m == null ? null : m.get(deltaKey(seq, bucket));
    }

    /** Removes the summary; true if it was here. */
    boolean removeSummary(String chainId, long seq) {
        Map<Long, CommitPart> m = summaries.get(chainId);
        return m != null && m.remove(seq) != null;
    }

    /** Removes the delta; true if it was here. */
    boolean removeDelta(String chainId, long seq, int bucket) {
        Map<Long, CommitPart> m = deltas.get(chainId);
        return m != null && m.remove(deltaKey(seq, bucket)) != null;
    }

    /** Parts waiting for this chain. */
    int count(String chainId) {
        Map<Long, CommitPart> s = summaries.get(chainId);
        Map<Long, CommitPart> d = deltas.get(chainId);
        return (s == null ? 0 : s.size()) + (d == null ? 0 : d.size());
    }

    /** Every waiting part in a fixed order (chain, seq, summary before deltas, bucket): the snapshot. */
    List<CommitPart> all() {
        List<CommitPart> out = new ArrayList<>();
        for (Map<Long, CommitPart> m : summaries.values()) {
            out.addAll(m.values());
        }
        for (Map<Long, CommitPart> m : deltas.values()) {
            out.addAll(m.values());
        }
        out.sort(Comparator.comparing((CommitPart p) -> p.chainId).thenComparingLong(p -> p.seq)
                .thenComparing(p -> p.kind == CommitPart.Kind.DELTA).thenComparingInt(p -> p.bucket));
        return out;
    }

    /** Takes back the parts of a snapshot whose chain this subtask serves (a union list: every subtask sees all). */
    void restore(Iterable<CommitPart> parts, Predicate<String> mine) {
        for (CommitPart p : parts) {
            if (mine.test(p.chainId)) {
                put(p);
            }
        }
    }
}
