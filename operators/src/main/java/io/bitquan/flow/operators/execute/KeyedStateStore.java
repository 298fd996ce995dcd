package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateWrite;
import io.bitquan.flow.operators.state.StateKeySerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.state.MapState;

/**
 * A chain's committed state in Flink keyed state: {@code MapState<StateKey, canonical value>} under
 * the chain's key, the key serialized as its canonical bytes ({@link StateKeySerializer}). Task
 * thread only (and the execution view's guarded reads while the task thread waits).
 *
 * <p>Keys were hex strings up to state VERSION 2 ({@code state-v1}); {@link #migrateLegacy} moves
 * a restored chain's entries over once.
 */
final class KeyedStateStore {
    private final MapState<StateKey, byte[]> entries;

    KeyedStateStore(MapState<StateKey, byte[]> entries) {
        this.entries = entries;
    }

    StateValue get(StateKey key) throws Exception {
        byte[] v = entries.get(key);
        return v == null ? null : StateValue.decode(key.kind(), v);
    }

    /** Same contract as {@code StateStore.apply}: changes with old values, in write order. */
    List<StateChange> apply(List<StateWrite> writes) throws Exception {
        return apply(writes, null);
    }

    /**
     * {@link #apply(List)}, taking old values from {@code current} where it has them: values read
     * from this store since its last write (a block's execution view), so they are the current
     * ones and the write needs no read first. That holds while the batch's keys are strictly
     * ascending (each key written once so far: BlockOutput's write set is sorted, one entry per
     * key); from a key that is not, every write reads the store first (a key written twice).
     * An ascending check instead of a set of written keys: the set's inserts were a visible share
     * of the executor's thread.
     */
    List<StateChange> apply(List<StateWrite> writes, GuardedStateView current) throws Exception {
        List<StateChange> changes = new ArrayList<>(writes.size());
        boolean ascending = current != null;
        StateKey previous = null;
        for (StateWrite w : writes) {
            StateKey key = w.key();
            ascending = ascending && (previous == null || key.compareTo(previous) > 0);
            previous = key;
            Optional<StateValue> known = ascending ? current.cached(key) : null;
            StateValue oldValue;
            boolean present;
            if (known != null) {
                oldValue = known.orElse(null);
                present = oldValue != null;
            } else {
                byte[] old = entries.get(key);
                oldValue = old == null ? null : StateValue.decode(key.kind(), old);
                present = old != null;
            }
            if (w.value() == null) {
                if (present) {
                    entries.remove(key);
                }
            } else {
                entries.put(key, w.value().encode());
            }
            changes.add(new StateChange(key, oldValue, w.value()));
        }
        return changes;
    }

    /**
     * Moves the current chain's entries from the hex-keyed map of state VERSION 2 ({@code state-v1})
     * into this one and clears it; returns how many moved. Values are copied byte for byte, so the
     * state (and every root computed over it) is unchanged.
     */
    long migrateLegacy(MapState<String, byte[]> legacy) throws Exception {
        long moved = 0;
        for (Map.Entry<String, byte[]> e : legacy.entries()) {
            entries.put(StateKey.decode(Bytes.fromHex(e.getKey())), e.getValue());
            moved++;
        }
        legacy.clear();
        return moved;
    }
}
