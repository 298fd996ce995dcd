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
    /**
     * The local write set: parallel arrays with a linear scan while small (transactions write
     * 1..4 keys; hashing a 37-byte key costs more than comparing a few), an index map beyond.
     */
    private StateKey[] writeKeys = new StateKey[4];
    private Object[] writeValues = new Object[4];
    private int writeCount;
    private Map<StateKey, Integer> writeIndex;
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
        int at = indexOf(key);
        if (at >= 0) {
            Object local = writeValues[at];
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
        Object stored = value == null ? DELETED : value;
        int at = indexOf(key);
        if (at >= 0) {
            writeValues[at] = stored;
            return;
        }
        if (writeCount == writeKeys.length) {
            writeKeys = java.util.Arrays.copyOf(writeKeys, writeCount * 2);
            writeValues = java.util.Arrays.copyOf(writeValues, writeCount * 2);
        }
        writeKeys[writeCount] = key;
        writeValues[writeCount] = stored;
        if (writeIndex != null) {
            writeIndex.put(key, writeCount);
        } else if (writeCount == 8) {
            writeIndex = new HashMap<>();
            for (int i = 0; i <= writeCount; i++) {
                writeIndex.put(writeKeys[i], i);
            }
        }
        writeCount++;
    }

    private int indexOf(StateKey key) {
        if (writeIndex != null) {
            Integer i = writeIndex.get(key);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < writeCount; i++) {
            if (writeKeys[i].equals(key)) {
                return i;
            }
        }
        return -1;
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
        writeCount = 0;
        writeIndex = null;
    }

    /** The written keys, one per key, in first-write order. */
    public StateKey[] writeKeys() {
        return java.util.Arrays.copyOf(writeKeys, writeCount);
    }

    /** The final value of each written key, in the order of {@link #writeKeys()} ({@code null} = delete). */
    public StateValue[] writeValues() {
        StateValue[] values = new StateValue[writeCount];
        for (int i = 0; i < writeCount; i++) {
            Object v = writeValues[i];
            values[i] = v == DELETED ? null : (StateValue) v;
        }
        return values;
    }
}
