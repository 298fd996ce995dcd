package io.bitquan.flow.wasm.runtime;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A contract call's writes, held back until the call succeeds. Reads fall through to the
 * executor's view (so Block-STM records them); writes reach it only in {@link #commit}. A failed
 * call simply drops the overlay. Single-threaded, one per call.
 */
final class StorageOverlay {
    private static final Object DELETED = new Object();

    private final StateView under;
    /** Insertion-ordered so that commit order is a function of the call alone. */
    private final Map<StateKey, Object> writes = new LinkedHashMap<>();

    StorageOverlay(StateView under) {
        this.under = under;
    }

    StateValue read(StateKey key) {
        Object v = writes.get(key);
        if (v == null) {
            return under.read(key);
        }
        return v == DELETED ? null : (StateValue) v;
    }

    void write(StateKey key, StateValue value) {
        writes.put(key, value == null ? DELETED : value);
    }

    void commit(StateAccess target) {
        for (Map.Entry<StateKey, Object> e : writes.entrySet()) {
            target.write(e.getKey(), e.getValue() == DELETED ? null : (StateValue) e.getValue());
        }
    }
}
