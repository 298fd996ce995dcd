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
        while (true) {
            StateKey k = table[slot];
            if (k == null) {
                break;
            }
            if (k.equals(key)) {
                return ids[slot];
            }
            slot = (slot + 1) & mask;
        }
        int id = size++;
        if (id == keys.length) {
            keys = java.util.Arrays.copyOf(keys, id * 2);
            prefixes = java.util.Arrays.copyOf(prefixes, id * 2);
            follows = java.util.Arrays.copyOf(follows, id * 2);
        }
        keys[id] = key;
        prefixes[id] = key.prefix() ^ Long.MIN_VALUE;
        table[slot] = key;
        ids[slot] = id;
        if (size * 2 > table.length) {
            grow();
        }
        return id;
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
                int slot = mix(k.hashCode()) & mask;
                while (table[slot] != null) {
                    slot = (slot + 1) & mask;
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
