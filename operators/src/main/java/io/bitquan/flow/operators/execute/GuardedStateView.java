package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base state the engine's worker threads read during one block, over Flink keyed state
 * (which is not thread-safe and is bound to the task thread's current key).
 *
 * <ol>
 *   <li>Every access to keyed state goes through one lock (this object), one key at a time: the
 *       task thread is blocked inside {@code engine.execute} meanwhile, so the current key cannot
 *       change and at most one thread touches the backend at a time.</li>
 *   <li>{@link #prefetch} reads the predicted keys, sorted (the order RocksDB keeps them in: see
 *       {@code StateKeySerializer}), into a concurrent map (absent keys too, as empty). It runs on
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
    private final ConcurrentHashMap<StateKey, Optional<StateValue>> cache;
    /** The predicted keys, sorted: what the prefetch reads, and what a miss is measured against. */
    private final StateKey[] predicted;
    private long misses;

    GuardedStateView(KeyedStateStore store, Collection<StateKey> predictedKeys) {
        this.store = store;
        this.predicted = predictedKeys.toArray(new StateKey[0]);
        Arrays.sort(predicted);
        // sized up front: per-block growth of the map was a visible share of the executor's time
        this.cache = new ConcurrentHashMap<>(Math.max(16, predicted.length * 2));
    }

    /** Reads every predicted key not read yet, in key order. Any one thread; see the class comment. */
    void prefetch() throws Exception {
        for (StateKey key : predicted) {
            if (!cache.containsKey(key)) {
                synchronized (this) {
                    if (!cache.containsKey(key)) {
                        cache.put(key, Optional.ofNullable(store.get(key)));
                    }
                }
            }
        }
    }

    @Override
    public StateValue read(StateKey key) {
        Optional<StateValue> hit = cache.get(key);
        if (hit != null) {
            return hit.orElse(null);
        }
        synchronized (this) {
            hit = cache.get(key);
            if (hit == null) {
                if (Arrays.binarySearch(predicted, key) < 0) {
                    misses++; // unpredicted (a key the prefetch was going to read anyway is no miss)
                }
                try {
                    hit = Optional.ofNullable(store.get(key));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot read " + key + " from keyed state", e);
                }
                cache.put(key, hit);
            }
            return hit.orElse(null);
        }
    }

    /**
     * What this view read for {@code key} (empty: absent), or null if it never read it. Task thread,
     * after execution and prefetch: the values are the store's current ones until the store is next written.
     */
    Optional<StateValue> cached(StateKey key) {
        return cache.get(key);
    }

    synchronized long misses() {
        return misses;
    }
}
