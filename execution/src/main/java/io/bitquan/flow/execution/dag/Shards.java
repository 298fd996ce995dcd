package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.state.StateKey;

/**
 * The key partition of a parallel link (round 17): with {@code count} linkers, every key belongs to
 * one shard, named by its prefix, and only that shard's linker interns it and links its accessors
 * ({@link AccessDag#link(int, int)}). What the graph's builder needs to lay the shards out is
 * counted here by the predicting workers, per prediction chunk, while the keys are in their cache:
 * each transaction's shard mask and each shard's accesses (bounding its keys and its predecessor
 * lists). One linker: nothing is counted.
 *
 * <p>The shard is a function of the key's bytes alone (its 8-byte prefix), never of hashing
 * order, thread timing or the worker count's scheduling; so which linker links a key is fixed
 * by the block and the linker count, and the graph is the same whatever runs when. A UTXO
 * transaction's outputs share their prefix (the transaction id), so they land in one shard in
 * order, which keeps {@link KeyIndex#follows} working; a contract's storage slots share theirs
 * too (one linker per contract).
 */
final class Shards {
    /** Linkers at most (a transaction's shards are bits of an int). */
    static final int MAX = 32;

    final int count;
    /** Per transaction: a bit per shard it has a key in (null with one shard). */
    final int[] masks;
    /** Per prediction chunk: accesses per shard ({@code count} ints each). */
    private final int[] chunkCounts;

    Shards(int count, int txs, int chunks) {
        if (count < 1 || count > MAX) {
            throw new IllegalArgumentException("linkers must be 1.." + MAX + ", got " + count);
        }
        this.count = count;
        this.masks = count == 1 ? null : new int[txs];
        this.chunkCounts = count == 1 ? null : new int[chunks * count];
    }

    /** One linker: the whole block is one shard. */
    static Shards one() {
        return new Shards(1, 0, 0);
    }

    /** The shard of a key among {@code count} (Fibonacci hashing of the prefix onto 0..count-1). */
    static int of(StateKey key, int count) {
        long mixed = (key.prefix() * 0x9E3779B97F4A7C15L) >>> 32;
        return (int) ((mixed * count) >>> 32);
    }

    /**
     * Counts transactions {@code from..to} (prediction chunk {@code chunk}): by the worker that
     * predicted them, before it counts the chunk done, so the builder that sees every chunk
     * done sees every count.
     */
    void count(AccessDag.Prediction[] predicted, int from, int to, int chunk) {
        if (count == 1) {
            return;
        }
        int at = chunk * count;
        for (int t = from; t < to; t++) {
            int mask = 0;
            for (StateKey key : predicted[t].keys()) {
                int s = of(key, count);
                mask |= 1 << s;
                chunkCounts[at + s]++;
            }
            masks[t] = mask;
        }
    }

    /** Counts a whole block on the calling thread (tests, tools). */
    void countAll(AccessDag.Prediction[] predicted) {
        if (count > 1) {
            count(predicted, 0, predicted.length, 0);
        }
    }

    /** Accesses per shard, summed over the chunks ({@code accesses}: the block's, with one shard). */
    int[] accesses(int accesses) {
        int[] sums = new int[count];
        if (count == 1) {
            sums[0] = accesses;
            return sums;
        }
        for (int at = 0; at < chunkCounts.length; at += count) {
            for (int s = 0; s < count; s++) {
                sums[s] += chunkCounts[at + s];
            }
        }
        return sums;
    }
}
