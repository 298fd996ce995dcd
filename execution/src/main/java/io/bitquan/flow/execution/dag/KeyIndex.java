package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.state.StateKey;

/**
 * Interns a block's state keys into dense ids 0..size-1 (open addressing over the keys' cached
 * hashes): the per-block key table the predicted schedule indexes its value slots by. Built by
 * one thread (the linker), ids only ever added. Each id's key prefix is kept in a dense array as
 * the key is interned (while the linker has it in cache): the write-set sort orders ids by it
 * without visiting the key objects, which by then sit in the other core's cache or nowhere
 * (measured: 140 ns per key to read them back in the collect phase of a transfer block).
 */
final class KeyIndex {
    private StateKey[] table;
    private int[] ids;
    private StateKey[] keys;
    /** Per id: the key's 8-byte prefix flipped to signed order ({@code prefix ^ Long.MIN_VALUE}). */
    private long[] prefixes;
    /** Per id: known to be greater than key {@code id - 1} (see {@link #follows(int)}). */
    private boolean[] follows;
    private int size;
    /**
     * Keys that found no free slot within {@link #MAX_PROBES} of their home slot. A block chooses
     * its keys' bytes, and {@code StateKey.hashCode} is Java's 31-hash (it routes commitment buckets,
     * so it must stay one unkeyed function): "Aa"/"BB" swaps give thousands of keys one hash, and
     * unbounded linear probing would cost n^2/2 comparisons (~5e7 for a 10,000-key block). Past
     * the cap, keys go to a tree ordered by the keys' bytes, O(log n) each. Ids are assigned in
     * interning order wherever a key is stored, so the overflow changes no id and no result.
     * {@code null} until the first key overflows (never, for keys a block did not aim).
     */
    private java.util.TreeMap<StateKey, Integer> overflow;
    /** Slots probed from a key's home slot before it goes to {@link #overflow}. */
    static final int MAX_PROBES = 32;

    KeyIndex(int expectedKeys) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedKeys * 2 - 1)) << 1;
        table = new StateKey[capacity];
        ids = new int[capacity];
        keys = new StateKey[Math.max(16, expectedKeys)];
        prefixes = new long[keys.length];
        follows = new boolean[keys.length];
    }

    /** The key's id, assigning the next one on first sight. */
    int intern(StateKey key) {
        int mask = table.length - 1;
        int slot = mix(key.hashCode()) & mask;
        int free = -1;
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            StateKey k = table[slot];
            if (k == null) {
                free = slot;
                break;
            }
            if (k.equals(key)) {
                return ids[slot];
            }
            slot = (slot + 1) & mask;
        }
        // Not in the table. A key that once overflowed may now have a free slot on its path (the
        // table grew since), so the overflow is asked before the key is taken as new.
        if (overflow != null) {
            Integer known = overflow.get(key);
            if (known != null) {
                return known;
            }
        }
        int id = size++;
        if (id == keys.length) {
            keys = java.util.Arrays.copyOf(keys, id * 2);
            prefixes = java.util.Arrays.copyOf(prefixes, id * 2);
            follows = java.util.Arrays.copyOf(follows, id * 2);
        }
        keys[id] = key;
        prefixes[id] = key.prefix() ^ Long.MIN_VALUE;
        if (free < 0) {
            if (overflow == null) {
                overflow = new java.util.TreeMap<>();
            }
            overflow.put(key, id);
            return id;
        }
        table[free] = key;
        ids[free] = id;
        if ((size - overflowSize()) * 2 > table.length) {
            grow();
        }
        return id;
    }

    /** Keys kept in the overflow tree (0 unless a block's keys collided past {@link #MAX_PROBES}). */
    int overflowSize() {
        return overflow == null ? 0 : overflow.size();
    }

    int size() {
        return size;
    }

    StateKey key(int id) {
        return keys[id];
    }

    /** The key's prefix in signed order: comparing two ids' values as longs orders them as their keys' prefixes. */
    long flippedPrefix(int id) {
        return prefixes[id];
    }

    /**
     * Records that key {@code id} is greater than key {@code id - 1}, which the caller knows
     * without comparing them (a transaction's outputs, predicted in index order, share their
     * prefix and would otherwise each cost a tie-break reading both keys' bytes: in the run's
     * write-set sort those are lines another core wrote, ~100 ns each here).
     */
    void follows(int id) {
        follows[id] = true;
    }

    /** The keys' order of ids {@code a} and {@code b}: from {@link #follows} when it says, else the keys' bytes. */
    int compare(int a, int b) {
        if (b == a + 1 && follows[b]) {
            return -1;
        }
        if (a == b + 1 && follows[a]) {
            return 1;
        }
        return keys[a].compareTo(keys[b]);
    }

    private void grow() {
        StateKey[] oldTable = table;
        int[] oldIds = ids;
        table = new StateKey[oldTable.length * 2];
        ids = new int[table.length];
        int mask = table.length - 1;
        for (int i = 0; i < oldTable.length; i++) {
            StateKey k = oldTable[i];
            if (k != null) {
                // the same cap as intern's: a key the lookup's probes would not reach goes to the overflow
                int slot = mix(k.hashCode()) & mask;
                int probe = 0;
                while (table[slot] != null && probe < MAX_PROBES - 1) {
                    slot = (slot + 1) & mask;
                    probe++;
                }
                if (table[slot] != null) {
                    if (overflow == null) {
                        overflow = new java.util.TreeMap<>();
                    }
                    overflow.put(k, oldIds[i]);
                    continue;
                }
                table[slot] = k;
                ids[slot] = oldIds[i];
            }
        }
    }

    /** Arrays.hashCode of 33-37 random bytes is well spread, but its low bits vary least: fold. */
    private static int mix(int h) {
        return h ^ (h >>> 16);
    }
}
