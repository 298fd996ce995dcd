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

    private SortedKeys(StateKey[] keys) {
        this.keys = keys;
    }

    /** The union of {@code runs} (each a list of keys, best sorted already), sorted, each key once. */
    static SortedKeys union(List<List<StateKey>> runs) {
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
        return new SortedKeys(n == total ? all : Arrays.copyOf(all, n));
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
