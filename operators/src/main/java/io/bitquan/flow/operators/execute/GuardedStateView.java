package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base state the engine's worker threads read during one block, over Flink keyed state
 * (which is not thread-safe and is bound to the task thread's current key).
 *
 * <ol>
 *   <li>Every access to keyed state goes through one lock (this object), one key at a time: the
 *       task thread is blocked inside {@code engine.execute} meanwhile, so the current key cannot
 *       change and at most one thread touches the backend at a time.</li>
 *   <li>{@link #prefetch} reads the predicted keys, in the order the block's transactions name
 *       them when the body gives it (round 9: the engine reads in about that order), else sorted
 *       (the order RocksDB keeps them in: see {@code StateKeySerializer}), into a concurrent map (absent keys too, as empty). It runs on
 *       a helper thread while the workers already execute ({@link FlinkChainStore}): a worker that
 *       needs a key before the prefetch reached it reads it itself under the same lock, so nobody
 *       waits for the whole prefetch, and workers execute while the backend is being read.</li>
 *   <li>After execution the task thread waits for the prefetch to end before it touches keyed
 *       state again (commit).</li>
 * </ol>
 * Reads never change state, so which thread reads a key first changes nothing but timing.
 * One instance per block; dropped after it.
 */
final class GuardedStateView implements StateView {
    private final KeyedStateStore store;
    private final ConcurrentHashMap<StateKey, KeyedStateStore.Read> cache;
    /** The predicted keys, sorted: what the prefetch reads, and what a miss is measured against. */
    private final StateKey[] predicted;
    /** The predicted keys in the block's transaction order (repeats included), or null: the order the prefetch reads them in. */
    private final StateKey[] prefetchOrder;
    /**
     * What the prefetch found for {@code predicted[i]} (the cache's entry), for the commit's merge
     * walk ({@link Ascending}): no hash lookup per write. Written by the prefetch thread, read by
     * the task thread after it waited for the prefetch (FlinkChainStore.settle: happens-before).
     */
    private final KeyedStateStore.Read[] reads;
    /**
     * {@code predicted[i].prefix()}, packed, for the merge walk ({@link Ascending}) to step over
     * keys without loading each; filled by the prefetch as it goes (else by {@link #ascending}).
     */
    private final long[] prefixes;
    private boolean prefixesFilled;
    private long misses;
    /**
     * The cache's entries for keys outside {@link #predicted} (a worker's miss): the commit's
     * merge walk looks a write key it did not find among the predicted ones up here, and only
     * when there is any (usually none: then such a key, e.g. a new output, costs no hash lookup).
     */
    private final ConcurrentHashMap<StateKey, KeyedStateStore.Read> unpredictedReads = new ConcurrentHashMap<>();

    GuardedStateView(KeyedStateStore store, Collection<StateKey> predictedKeys) {
        this.store = store;
        if (predictedKeys instanceof SortedKeys sorted) {
            this.predicted = sorted.sorted(); // a block's body: sorted and distinct already
            this.prefetchOrder = sorted.inTxOrder();
        } else {
            this.prefetchOrder = null;
            this.predicted = predictedKeys.toArray(new StateKey[0]);
            Arrays.sort(predicted);
        }
        this.reads = new KeyedStateStore.Read[predicted.length];
        this.prefixes = new long[predicted.length];
        // sized up front: per-block growth of the map was a visible share of the executor's time
        this.cache = new ConcurrentHashMap<>(Math.max(16, predicted.length * 2));
    }

    /**
     * Reads every predicted key not read yet: in the transactions' order when known (the engine
     * reads in about that order, so the prefetch stays ahead of it and the engine's threads, the
     * task thread among them, seldom read a key themselves), else in key order. Any one thread;
     * see the class comment.
     */
    void prefetch() throws Exception {
        if (prefetchOrder != null) {
            for (StateKey key : prefetchOrder) {
                if (cache.get(key) == null) {
                    synchronized (this) {
                        if (cache.get(key) == null) {
                            cache.put(key, store.read(key));
                        }
                    }
                }
            }
        }
        for (int i = 0; i < predicted.length; i++) {
            StateKey key = predicted[i];
            KeyedStateStore.Read r = cache.get(key);
            if (r == null) {
                synchronized (this) {
                    r = cache.get(key);
                    if (r == null) {
                        r = store.read(key);
                        cache.put(key, r);
                    }
                }
            }
            reads[i] = r;
            prefixes[i] = key.prefix();
        }
        prefixesFilled = true;
    }

    @Override
    public StateValue read(StateKey key) {
        KeyedStateStore.Read hit = cache.get(key);
        if (hit != null) {
            return hit.value();
        }
        synchronized (this) {
            hit = cache.get(key);
            if (hit == null) {
                boolean unpredicted = Arrays.binarySearch(predicted, key) < 0;
                if (unpredicted) {
                    misses++; // unpredicted (a key the prefetch was going to read anyway is no miss)
                }
                try {
                    hit = store.read(key);
                } catch (Exception e) {
                    throw new IllegalStateException("cannot read " + key + " from keyed state", e);
                }
                cache.put(key, hit);
                if (unpredicted) {
                    unpredictedReads.put(key, hit);
                }
            }
            return hit.value();
        }
    }

    /**
     * What this view read for {@code key} (its value and stored bytes), or null if it never read
     * it. Task thread, after execution and prefetch: the values are the store's current ones until
     * the store is next written.
     */
    KeyedStateStore.Read cached(StateKey key) {
        return cache.get(key);
    }

    /** {@link #cached} for keys asked in strictly ascending order (a sorted write set): see {@link Ascending}. */
    Ascending ascending() {
        if (!prefixesFilled) { // no prefetch ran (the prefetch fills them while it reads)
            for (int i = 0; i < predicted.length; i++) {
                prefixes[i] = predicted[i].prefix();
            }
            prefixesFilled = true;
        }
        return new Ascending();
    }

    /**
     * Looks keys up by walking the sorted predicted keys alongside them (compares, mostly on the
     * keys' first 8 bytes) and taking what the prefetch read for the matching one ({@link #reads}):
     * the write set's own key instances are new and were each hashed once more for a cache lookup
     * (a visible share of the executor's thread). A key not predicted is looked up by its own hash.
     */
    final class Ascending {
        private int next;
        private StateKey matched;

        /** {@link #cached(StateKey)}; {@code key} must be greater than the last key asked. */
        KeyedStateStore.Read find(StateKey key) {
            matched = null;
            long prefix = key.prefix();
            while (next < predicted.length) {
                // StateKey.compareTo's order; the prefix from the packed array first, so keys
                // passed over are not dereferenced (each one was a cache miss)
                int c = Long.compareUnsigned(prefixes[next], prefix);
                if (c == 0) {
                    c = predicted[next].compareTo(key);
                }
                if (c < 0) {
                    next++;
                } else {
                    if (c == 0) {
                        matched = predicted[next];
                        KeyedStateStore.Read r = reads[next++];
                        return r != null ? r : cache.get(matched);
                    }
                    break;
                }
            }
            // not predicted: read by a worker (a miss), or not read in this block at all
            return unpredictedReads.isEmpty() ? null : unpredictedReads.get(key);
        }

        /** The predicted instance equal to the key last found (its hash cached), else {@code key}. */
        StateKey instance(StateKey key) {
            return matched != null ? matched : key;
        }
    }

    synchronized long misses() {
        return misses;
    }
}
