package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.state.StateKey;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A block's predicted keys as a set held sorted and without duplicates (the order RocksDB keeps
 * them in): built from the chunks' lists, each already sorted where it was decoded (the
 * {@link ChunkDecoder}'s helper thread), so the task thread only merges sorted runs (TimSort finds
 * them) instead of hashing every key into a {@code LinkedHashSet} and sorting the set again for
 * the prefetch ({@link GuardedStateView} takes {@link #sorted()} as is). Read-only.
 */
final class SortedKeys extends AbstractSet<StateKey> {
    private final StateKey[] keys;
    /** The keys in the order the block's transactions name them (repeats included), or null: what the prefetch reads first. */
    private final StateKey[] inTxOrder;

    private SortedKeys(StateKey[] keys, StateKey[] inTxOrder) {
        this.keys = keys;
        this.inTxOrder = inTxOrder;
    }

    /** The union of {@code runs} (each a list of keys, best sorted already), sorted, each key once. */
    static SortedKeys union(List<List<StateKey>> runs) {
        return union(runs, null);
    }

    /**
     * {@link #union(List)}, remembering the same keys in transaction order ({@code inTxOrder}: the
     * chunks' keys as the transactions name them, chunk after chunk), for {@link #inTxOrder()}.
     */
    static SortedKeys union(List<List<StateKey>> runs, List<List<StateKey>> inTxOrder) {
        int total = 0;
        for (List<StateKey> r : runs) {
            total += r.size();
        }
        StateKey[] all = new StateKey[total];
        int at = 0;
        for (List<StateKey> r : runs) {
            for (StateKey k : r) {
                all[at++] = k;
            }
        }
        Arrays.sort(all); // sorted runs: merged, not sorted again
        int n = 0;
        for (int i = 0; i < total; i++) {
            if (n == 0 || all[i].compareTo(all[n - 1]) != 0) {
                all[n++] = all[i];
            }
        }
        StateKey[] ordered = null;
        if (inTxOrder != null) {
            ordered = new StateKey[total];
            int o = 0;
            for (List<StateKey> r : inTxOrder) {
                for (StateKey k : r) {
                    ordered[o++] = k;
                }
            }
            if (o != total) {
                throw new IllegalArgumentException("the keys in transaction order are not the runs' keys");
            }
        }
        return new SortedKeys(n == total ? all : Arrays.copyOf(all, n), ordered);
    }

    /**
     * The keys in the order the block's transactions name them, repeats included (null when not
     * known): the engine reads in about that order, so a prefetch in it stays ahead of the engine
     * instead of reaching a key at a random point of the block (sorted order).
     */
    StateKey[] inTxOrder() {
        return inTxOrder;
    }

    /** The keys in ascending order (shared: callers must not modify it). */
    StateKey[] sorted() {
        return keys;
    }

    @Override
    public boolean contains(Object o) {
        return o instanceof StateKey k && Arrays.binarySearch(keys, k) >= 0;
    }

    @Override
    public Iterator<StateKey> iterator() {
        return Arrays.asList(keys).iterator();
    }

    @Override
    public int size() {
        return keys.length;
    }
}
