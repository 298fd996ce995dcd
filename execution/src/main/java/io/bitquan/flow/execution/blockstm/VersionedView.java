package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the VM sees during one incarnation (paper: the VM's reads through {@code MVMemory.read}
 * and its local write set). Reads see the incarnation's own writes first, then the multi-version
 * memory below this transaction, then base storage; each non-local read is recorded as a
 * {@link ReadDescriptor}. Writes stay local until {@link MvMemory#record}. Confined to the one
 * worker thread that runs the incarnation.
 *
 * <p>With {@code storageOnly} every read goes to base storage (the two-phase engine's optimistic
 * round, which by design ignores other transactions' writes).
 */
public final class VersionedView implements StateAccess {
    private static final Object DELETED = new Object();
    private static final ReadDescriptor[] NO_READS = new ReadDescriptor[0];

    private final int txIndex;
    private final MvMemory memory;
    private final StateView base;
    private final boolean storageOnly;
    private final List<ReadDescriptor> reads = new ArrayList<>(4);
    private final Map<StateKey, Object> writes = new HashMap<>(8);
    /** The blocking transaction of the first ESTIMATE read, or -1; survives a VM that swallows exceptions. */
    private int blockedOn = -1;

    public VersionedView(int txIndex, MvMemory memory, StateView base, boolean storageOnly) {
        this.txIndex = txIndex;
        this.memory = memory;
        this.base = base;
        this.storageOnly = storageOnly;
    }

    @Override
    public StateValue read(StateKey key) {
        Object local = writes.get(key);
        if (local != null) {
            return local == DELETED ? null : (StateValue) local;
        }
        if (!storageOnly) {
            MvMemory.ReadResult r = memory.read(key, txIndex);
            switch (r.status()) {
                case READ_ERROR -> {
                    if (blockedOn < 0) {
                        blockedOn = r.txIndex();
                    }
                    throw new ReadDependency(r.txIndex());
                }
                case OK -> {
                    reads.add(new ReadDescriptor(key, r.txIndex(), r.incarnation()));
                    return r.value();
                }
                case NOT_FOUND -> { }
            }
        }
        reads.add(ReadDescriptor.storage(key));
        return base.read(key);
    }

    @Override
    public void write(StateKey key, StateValue value) {
        writes.put(key, value == null ? DELETED : value);
    }

    /** The transaction the incarnation must wait for, or -1 when it never hit an ESTIMATE. */
    public int blockedOn() {
        return blockedOn;
    }

    public ReadDescriptor[] readSet() {
        return reads.isEmpty() ? NO_READS : reads.toArray(NO_READS);
    }

    /** Drops the writes (the incarnation ended in a violation or error: its writes never count). */
    public void discardWrites() {
        writes.clear();
    }

    public StateKey[] writeKeys() {
        return writes.keySet().toArray(new StateKey[0]);
    }

    /** Values in the order of {@code keys} ({@code null} = delete). */
    public StateValue[] writeValues(StateKey[] keys) {
        StateValue[] values = new StateValue[keys.length];
        for (int i = 0; i < keys.length; i++) {
            Object v = writes.get(keys[i]);
            values[i] = v == DELETED ? null : (StateValue) v;
        }
        return values;
    }
}
