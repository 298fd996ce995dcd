package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.state.StateKey;

/**
 * Interns a block's state keys into dense ids 0..size-1 (open addressing over the keys' cached
 * hashes): the per-block key table the predicted schedule indexes its value slots by. Built by
 * the linkers, each shard by its own (round 17; one linker, one shard before), ids only ever added. Each id's key prefix is kept in a dense array as
 * the key is interned (while the linker has it in cache): the write-set sort orders ids by it
 * without visiting the key objects, which by then sit in the other core's cache or nowhere
 * (measured: 140 ns per key to read them back in the collect phase of a transfer block).
 */
final class KeyIndex {
    private StateKey[] keys;
    /** Per id: the key's 8-byte prefix flipped to signed order ({@code prefix ^ Long.MIN_VALUE}). */
    private long[] prefixes;
    /** Per id: known to be greater than key {@code id - 1} (see {@link #follows(int)}). */
    private boolean[] follows;
    /**
     * The key table of each linker's shard ({@link Shards}, round 17): a key lives in the shard its
     * prefix names, interned there by that shard's linker alone, with ids from the shard's own
     * range {@code [base, base + limit)} of the dense arrays above (the shard's access count
     * bounds its keys). One shard: the whole block's table, as before round 17, and it grows.
     */
    private final Shard[] shards;

    /** One shard's table; touched by its linker only. */
    private static final class Shard {
        StateKey[] table;
        int[] ids;
        final int base;
        /** The shard's next id. */
        int next;
        /** Keys this shard may hold ({@link Integer#MAX_VALUE}: one shard, the arrays grow). */
        final int limit;
        /**
         * Keys that found no free slot within {@link #MAX_PROBES} of their home slot. A block chooses
         * its keys' bytes, and {@code StateKey.hashCode} is Java's 31-hash (it routes commitment buckets,
         * so it must stay one unkeyed function): "Aa"/"BB" swaps give thousands of keys one hash, and
         * unbounded linear probing would cost n^2/2 comparisons (~5e7 for a 10,000-key block). Past
         * the cap, keys go to a tree ordered by the keys' bytes, O(log n) each. Ids are assigned in
         * interning order wherever a key is stored, so the overflow changes no id and no result.
         * {@code null} until the first key overflows (never, for keys a block did not aim).
         */
        java.util.TreeMap<StateKey, Integer> overflow;

        Shard(int base, int expectedKeys, int limit) {
            int capacity = Integer.highestOneBit(Math.max(16, expectedKeys * 2 - 1)) << 1;
            this.table = new StateKey[capacity];
            this.ids = new int[capacity];
            this.base = base;
            this.next = base;
            this.limit = limit;
        }
    }
    /** Slots probed from a key's home slot before it goes to the overflow. */
    static final int MAX_PROBES = 32;

    KeyIndex(int expectedKeys) {
        this(new int[] {expectedKeys});
    }

    /**
     * One table per shard: shard s holds at most {@code shardKeys[s]} keys, with ids from the sum
     * of the shards' bounds before it. The arrays by id are fixed at the sum (no growth: the
     * linkers write them concurrently, each its own range).
     */
    KeyIndex(int[] shardKeys) {
        if (shardKeys.length == 1) {
            this.keys = new StateKey[Math.max(16, shardKeys[0])];
            this.prefixes = new long[keys.length];
            this.follows = new boolean[keys.length];
            this.shards = new Shard[] {new Shard(0, shardKeys[0], Integer.MAX_VALUE)};
            return;
        }
        int total = 0;
        shards = new Shard[shardKeys.length];
        for (int s = 0; s < shardKeys.length; s++) {
            shards[s] = new Shard(total, shardKeys[s], shardKeys[s]);
            total += shardKeys[s];
        }
        keys = new StateKey[total];
        prefixes = new long[total];
        follows = new boolean[total];
    }

    /** The key's id, assigning the next one on first sight (one shard). */
    int intern(StateKey key) {
        return intern(0, key);
    }

    /** The key's id in shard {@code s} (only that shard's linker calls this), assigning the shard's next id on first sight. */
    int intern(int s, StateKey key) {
        Shard shard = shards[s];
        StateKey[] table = shard.table;
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
                return shard.ids[slot];
            }
            slot = (slot + 1) & mask;
        }
        // Not in the table. A key that once overflowed may now have a free slot on its path (the
        // table grew since), so the overflow is asked before the key is taken as new.
        if (shard.overflow != null) {
            Integer known = shard.overflow.get(key);
            if (known != null) {
                return known;
            }
        }
        if (shard.next - shard.base == shard.limit) {
            throw new IllegalStateException("key shard " + s + " holds more keys than its accesses");
        }
        int id = shard.next++;
        if (id == keys.length) { // one shard only: the others are sized exactly
            keys = java.util.Arrays.copyOf(keys, id * 2);
            prefixes = java.util.Arrays.copyOf(prefixes, id * 2);
            follows = java.util.Arrays.copyOf(follows, id * 2);
        }
        keys[id] = key;
        prefixes[id] = key.prefix() ^ Long.MIN_VALUE;
        if (free < 0) {
            if (shard.overflow == null) {
                shard.overflow = new java.util.TreeMap<>();
            }
            shard.overflow.put(key, id);
            return id;
        }
        table[free] = key;
        shard.ids[free] = id;
        if ((shard.next - shard.base - overflowSize(shard)) * 2 > table.length) {
            grow(shard);
        }
        return id;
    }

    /** Keys kept in the overflow trees (0 unless a block's keys collided past {@link #MAX_PROBES}). */
    int overflowSize() {
        int sum = 0;
        for (Shard shard : shards) {
            sum += overflowSize(shard);
        }
        return sum;
    }

    private static int overflowSize(Shard shard) {
        return shard.overflow == null ? 0 : shard.overflow.size();
    }

    /** Keys interned (in every shard; read once the linkers are done, or by the one linker). */
    int size() {
        int sum = 0;
        for (Shard shard : shards) {
            sum += shard.next - shard.base;
        }
        return sum;
    }

    /** One more than the largest id any key can have: the length of an array by id. */
    int capacity() {
        return shards.length == 1 ? size() : keys.length;
    }

    /** The id shard {@code s} assigns next (its linker's own state). */
    int next(int s) {
        return shards[s].next;
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

    private static void grow(Shard shard) {
        StateKey[] oldTable = shard.table;
        int[] oldIds = shard.ids;
        StateKey[] table = new StateKey[oldTable.length * 2];
        int[] ids = new int[table.length];
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
                    if (shard.overflow == null) {
                        shard.overflow = new java.util.TreeMap<>();
                    }
                    shard.overflow.put(k, oldIds[i]);
                    continue;
                }
                table[slot] = k;
                ids[slot] = oldIds[i];
            }
        }
        shard.table = table;
        shard.ids = ids;
    }

    /** Arrays.hashCode of 33-37 random bytes is well spread, but its low bits vary least: fold. */
    private static int mix(int h) {
        return h ^ (h >>> 16);
    }
}
