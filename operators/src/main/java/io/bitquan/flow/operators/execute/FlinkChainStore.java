package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.ChainCodec;
import io.bitquan.flow.execution.chain.ChainStore;
import io.bitquan.flow.execution.chain.ChainTip;
import io.bitquan.flow.execution.chain.IndexEntry;
import io.bitquan.flow.execution.chain.PreparedBody;
import io.bitquan.flow.execution.chain.StoredBlock;
import io.bitquan.flow.execution.chain.UndoRecord;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateStore;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The chain core's {@link ChainStore} in Flink keyed state, under the current chain key. Values
 * are the core's own byte encodings ({@link ChainCodec}); ids are hex strings (the heap backend
 * compares map keys with equals). A backend failure is not about the input: it fails the task.
 *
 * <p>State VERSION 2: {@code state-v1} (chain state, unchanged), {@code chain-tip-v2},
 * {@code block-index-v2}, {@code undo-v2} (height -> undo record), {@code stored-meta-v2},
 * {@code stored-body-v2} (payload: {@link PreparedCandidate#payload()}).
 */
final class FlinkChainStore implements ChainStore {
    private static final PrimitiveArrayTypeInfo<byte[]> BYTES = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    private final KeyedStateStore entries;
    private final ValueState<byte[]> tip;
    private final MapState<String, byte[]> index;
    private final MapState<Long, byte[]> undo;
    private final MapState<String, byte[]> storedMeta;
    private final MapState<String, byte[]> storedBody;
    private final StateStore state;
    private GuardedStateView lastView;
    /** The last execution view while no state write has happened since it was made (its reads are current). */
    private GuardedStateView currentView;

    FlinkChainStore(RuntimeContext rc) {
        entries = new KeyedStateStore(rc.getMapState(new MapStateDescriptor<>("state-v1", Types.STRING, BYTES)));
        tip = rc.getState(new ValueStateDescriptor<>("chain-tip-v2", BYTES));
        index = rc.getMapState(new MapStateDescriptor<>("block-index-v2", Types.STRING, BYTES));
        undo = rc.getMapState(new MapStateDescriptor<>("undo-v2", Types.LONG, BYTES));
        storedMeta = rc.getMapState(new MapStateDescriptor<>("stored-meta-v2", Types.STRING, BYTES));
        storedBody = rc.getMapState(new MapStateDescriptor<>("stored-body-v2", Types.STRING, BYTES));
        state = new StateStore() {
            @Override
            public StateValue read(StateKey key) {
                return call(() -> entries.get(key));
            }

            @Override
            public List<StateChange> apply(List<StateWrite> writes) {
                GuardedStateView view = currentView;
                currentView = null; // this write makes its reads stale
                return call(() -> entries.apply(writes, view));
            }

            @Override
            public void forEach(BiConsumer<StateKey, StateValue> visitor) {
                throw new UnsupportedOperationException("keyed chain state is not enumerated");
            }

            @Override
            public int size() {
                throw new UnsupportedOperationException("keyed chain state is not counted");
            }
        };
    }

    @FunctionalInterface
    private interface StateCall<T> {
        T call() throws Exception;
    }

    private static <T> T call(StateCall<T> c) {
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("keyed state access failed", e);
        }
    }

    private static void run(StateCall<Void> c) {
        call(c);
    }

    @Override
    public StateStore state() {
        return state;
    }

    /** The engine reads through a guarded, prefetched view (workers must not touch keyed state). */
    @Override
    public StateView executionView(PreparedBody body) {
        GuardedStateView view = new GuardedStateView(entries);
        run(() -> {
            view.prefetch(body.predicted());
            return null;
        });
        lastView = view;
        currentView = view;
        return view;
    }

    /**
     * The unit is done: the next one may be another chain's (another key), whose state the last
     * view did not read, so its reads no longer count as current.
     */
    void endUnit() {
        currentView = null;
    }

    /** Prefetch misses of the last executed block (metrics). */
    long lastMisses() {
        return lastView == null ? 0 : lastView.misses();
    }

    @Override
    public ChainTip tip() {
        byte[] b = call(tip::value);
        return b == null ? null : ChainCodec.tip(b);
    }

    @Override
    public void tip(ChainTip t) {
        run(() -> {
            tip.update(ChainCodec.tip(t));
            return null;
        });
    }

    @Override
    public IndexEntry entry(byte[] id) {
        byte[] b = call(() -> index.get(Bytes.hex(id)));
        return b == null ? null : ChainCodec.entry(b);
    }

    @Override
    public void putEntry(byte[] id, IndexEntry e) {
        run(() -> {
            index.put(Bytes.hex(id), ChainCodec.entry(e));
            return null;
        });
    }

    @Override
    public void removeEntry(byte[] id) {
        run(() -> {
            index.remove(Bytes.hex(id));
            return null;
        });
    }

    @Override
    public List<byte[]> entryIds() {
        return call(() -> {
            List<byte[]> ids = new ArrayList<>();
            for (String k : index.keys()) {
                ids.add(Bytes.fromHex(k));
            }
            return ids;
        });
    }

    @Override
    public UndoRecord undo(long height) {
        byte[] b = call(() -> undo.get(height));
        return b == null ? null : ChainCodec.undo(b);
    }

    @Override
    public void putUndo(UndoRecord record) {
        run(() -> {
            undo.put(record.height(), ChainCodec.undo(record));
            return null;
        });
    }

    @Override
    public void removeUndo(long height) {
        run(() -> {
            undo.remove(height);
            return null;
        });
    }

    @Override
    public StoredBlock stored(byte[] id) {
        byte[] b = call(() -> storedMeta.get(Bytes.hex(id)));
        return b == null ? null : ChainCodec.stored(b);
    }

    @Override
    public byte[] storedBody(byte[] id) {
        return call(() -> storedBody.get(Bytes.hex(id)));
    }

    @Override
    public void putStored(byte[] id, StoredBlock meta, byte[] body) {
        run(() -> {
            storedMeta.put(Bytes.hex(id), ChainCodec.stored(meta));
            storedBody.put(Bytes.hex(id), body);
            return null;
        });
    }

    @Override
    public void removeStored(byte[] id) {
        run(() -> {
            storedMeta.remove(Bytes.hex(id));
            storedBody.remove(Bytes.hex(id));
            return null;
        });
    }

    @Override
    public List<byte[]> storedIds() {
        return call(() -> {
            List<byte[]> ids = new ArrayList<>();
            for (String k : storedMeta.keys()) {
                ids.add(Bytes.fromHex(k));
            }
            return ids;
        });
    }
}
