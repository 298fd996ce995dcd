package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.state.MapState;

/**
 * A chain's committed state in Flink keyed state: {@code MapState<hex(canonical key), canonical
 * value>} under the chain's key. Hex strings (not byte[]) as map keys because the heap backend
 * compares map keys with equals/hashCode. Task thread only.
 */
final class KeyedStateStore {
    private final MapState<String, byte[]> entries;

    KeyedStateStore(MapState<String, byte[]> entries) {
        this.entries = entries;
    }

    StateValue get(StateKey key) throws Exception {
        byte[] v = entries.get(Bytes.hex(key.encodedUnsafe()));
        return v == null ? null : StateValue.decode(key.kind(), v);
    }

    /** Same contract as {@code StateStore.apply}: changes with old values, in write order. */
    List<StateChange> apply(List<StateWrite> writes) throws Exception {
        return apply(writes, null);
    }

    /**
     * {@link #apply(List)}, taking old values from {@code current} where it has them: values read
     * from this store since its last write (a block's execution view), so they are the current
     * ones and the write needs no read first. A key written twice in one batch is read again.
     */
    List<StateChange> apply(List<StateWrite> writes, GuardedStateView current) throws Exception {
        List<StateChange> changes = new ArrayList<>(writes.size());
        Set<StateKey> written = current == null ? null : new HashSet<>();
        for (StateWrite w : writes) {
            String k = Bytes.hex(w.key().encodedUnsafe());
            Optional<StateValue> known = current == null || !written.add(w.key()) ? null : current.cached(w.key());
            StateValue oldValue;
            boolean present;
            if (known != null) {
                oldValue = known.orElse(null);
                present = oldValue != null;
            } else {
                byte[] old = entries.get(k);
                oldValue = old == null ? null : StateValue.decode(w.key().kind(), old);
                present = old != null;
            }
            if (w.value() == null) {
                if (present) {
                    entries.remove(k);
                }
            } else {
                entries.put(k, w.value().encode());
            }
            changes.add(new StateChange(w.key(), oldValue, w.value()));
        }
        return changes;
    }
}
