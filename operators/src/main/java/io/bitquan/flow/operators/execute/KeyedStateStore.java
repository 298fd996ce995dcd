package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.ChainCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateWrite;
import io.bitquan.flow.operators.state.StateKeySerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /** A value as read: decoded, and the stored bytes it came from (kept for the undo record's encoding). */
    record Read(StateValue value, byte[] encoded) {
        static final Read ABSENT = new Read(null, null);
    }

    /** {@link #get}, keeping the stored bytes. */
    Read read(StateKey key) throws Exception {
        byte[] v = entries.get(key);
        return v == null ? Read.ABSENT : new Read(StateValue.decode(key.kind(), v), v);
    }

    /** Same contract as {@code StateStore.apply}: changes with old values, in write order. */
    List<StateChange> apply(List<StateWrite> writes) throws Exception {
        return apply(writes, null).changes();
    }

    /**
     * {@link #apply(List)}, taking old values from {@code current} where it has them: values read
     * from this store since its last write (a block's execution view), so they are the current
     * ones and the write needs no read first. That holds while the batch's keys are strictly
     * ascending (each key written once so far: BlockOutput's write set is sorted, one entry per
     * key); from a key that is not, every write reads the store first (a key written twice).
     * An ascending check instead of a set of written keys: the set's inserts were a visible share
     * of the executor's thread. The ascending keys are also looked up by a merge walk over the
     * view's sorted predicted keys ({@link GuardedStateView.Ascending}): no hash of the write
     * set's own key instances, and each change carries the predicted instance (its hash computed
     * once, reused by the commitment buckets).
     *
     * <p>Returns the changes with the bytes each old value was read as and each new value was
     * written as, and the changes' encoding ({@code ChainCodec.changes}) with where each ends and
     * its key's hash, written in this same pass: the undo record and the commitment partitions'
     * slices are cut from it (see {@link AppliedWrites}, {@link EncodedChanges}).
     */
    AppliedWrites apply(List<StateWrite> writes, GuardedStateView current) throws Exception {
        int n = writes.size();
        List<StateChange> changes = new ArrayList<>(n);
        byte[][] oldEncoded = new byte[n][];
        byte[][] newEncoded = new byte[n][];
        int[] ends = new int[n];
        int[] hashes = new int[n];
        // the undo record's encoding of every change, written while its key and values are at hand
        CanonicalWriter encoding = new CanonicalWriter(4 + n * 100);
        encoding.i32(n);
        boolean ascending = current != null;
        GuardedStateView.Ascending lookup = current == null ? null : current.ascending();
        StateKey previous = null;
        for (int i = 0; i < n; i++) {
            StateWrite w = writes.get(i);
            StateKey key = w.key();
            ascending = ascending && (previous == null || key.compareTo(previous) > 0);
            previous = key;
            Read known = null;
            if (ascending) {
                known = lookup.find(key);
                key = lookup.instance(key);
            }
            if (known == null) {
                known = read(key);
            }
            StateValue value = w.value();
            if (value == null) {
                if (known.encoded() != null) {
                    entries.remove(key);
                }
            } else {
                byte[] bytes = value.encode();
                entries.put(key, bytes);
                newEncoded[i] = bytes;
            }
            oldEncoded[i] = known.encoded();
            changes.add(new StateChange(key, known.value(), value));
            ChainCodec.change(encoding, key, known.encoded(), newEncoded[i]);
            ends[i] = encoding.size();
            hashes[i] = key.hashCode();
        }
        return new AppliedWrites(changes, oldEncoded, newEncoded,
                new EncodedChanges(encoding.toByteArray(), ends, hashes));
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
