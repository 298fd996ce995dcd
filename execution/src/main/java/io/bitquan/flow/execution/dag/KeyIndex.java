package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.state.StateKey;

/**
 * Interns a block's state keys into dense ids 0..size-1 (open addressing over the keys' cached
 * hashes): the per-block key table the predicted schedule indexes its value slots by. Built by
 * one thread before the run; never changed after.
 */
final class KeyIndex {
    private StateKey[] table;
    private int[] ids;
    private StateKey[] keys;
    private int size;

    KeyIndex(int expectedKeys) {
        int capacity = Integer.highestOneBit(Math.max(16, expectedKeys * 2 - 1)) << 1;
        table = new StateKey[capacity];
        ids = new int[capacity];
        keys = new StateKey[Math.max(16, expectedKeys)];
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
        }
        keys[id] = key;
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
