package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The base state the engine's worker threads read during one block, over Flink keyed state
 * (which is not thread-safe and is bound to the task thread's current key).
 *
 * <ol>
 *   <li>Before execution, on the task thread, {@link #prefetch} reads every predicted key from
 *       keyed state into a concurrent map (absent keys too, as empty).</li>
 *   <li>During execution workers read the map; a miss (an unpredicted key) goes through
 *       {@link #read}'s one guarded path: under this object's lock, read keyed state and cache.
 *       The task thread is blocked inside {@code engine.execute} meanwhile, so the current key
 *       cannot change under the workers and at most one thread touches the backend at a time.</li>
 *   <li>After execution only the task thread touches keyed state again (commit).</li>
 * </ol>
 * One instance per block; dropped after it.
 */
final class GuardedStateView implements StateView {
    private final KeyedStateStore store;
    private final ConcurrentHashMap<StateKey, Optional<StateValue>> cache = new ConcurrentHashMap<>();
    private long misses;

    GuardedStateView(KeyedStateStore store) {
        this.store = store;
    }

    /** Task thread only, before workers start. */
    void prefetch(Collection<StateKey> keys) throws Exception {
        for (StateKey key : keys) {
            if (!cache.containsKey(key)) {
                cache.put(key, Optional.ofNullable(store.get(key)));
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
                misses++;
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
     * after execution: the values are the store's current ones until the store is next written.
     */
    Optional<StateValue> cached(StateKey key) {
        return cache.get(key);
    }

    synchronized long misses() {
        return misses;
    }
}
