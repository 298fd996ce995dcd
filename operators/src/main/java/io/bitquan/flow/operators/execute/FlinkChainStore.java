package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.ChainCodec;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.model.rules.PreparedTx;
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
import io.bitquan.flow.operators.state.StateKeySerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;

/**
 * The chain core's {@link ChainStore} in Flink keyed state, under the current chain key. Values
 * are the core's own byte encodings ({@link ChainCodec}); ids are hex strings (the heap backend
 * compares map keys with equals). A backend failure is not about the input: it fails the task.
 *
 * <p>State VERSION 3: {@code state-v3} (chain state: {@link StateKey} as its canonical bytes ->
 * canonical value), {@code chain-tip-v2}, {@code block-index-v2}, {@code undo-v2} (height -> undo
 * record), {@code stored-meta-v2}, {@code stored-body-v2} (payload: {@link PreparedCandidate#payload()}).
 * VERSION 2 kept the chain state in {@code state-v1} under hex-string keys; a VERSION 2 snapshot
 * restores, and {@link #migrateLegacyState} moves a chain's entries to {@code state-v3} the first
 * time this task sees the chain (every other state is unchanged, undo records included).
 *
 * <p>A block's prefetch runs on a helper thread while the engine executes (see
 * {@link GuardedStateView}); every keyed-state access of the task thread here first waits for it
 * ({@link #settle}), and the executor calls {@link #endUnit} before it touches its own state.
 */
final class FlinkChainStore implements ChainStore {
    private static final PrimitiveArrayTypeInfo<byte[]> BYTES = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    private final KeyedStateStore entries;
    /** State VERSION 2's hex-keyed chain state: read once per chain to migrate, then empty. */
    private final MapState<String, byte[]> legacyEntries;
    private final ValueState<byte[]> tip;
    private final MapState<String, byte[]> index;
    private final MapState<Long, byte[]> undo;
    private final MapState<String, byte[]> storedMeta;
    private final MapState<String, byte[]> storedBody;
    private final StateStore state;
    private GuardedStateView lastView;
    /** The last execution view while no state write has happened since it was made (its reads are current). */
    private GuardedStateView currentView;
    /** The changes of the last undo record written, and their encoding (reused for the block's summary). */
    private List<StateChange> lastUndoChanges;
    /** The last state write batch with the bytes of its values, until the undo record after it is written. */
    private AppliedWrites lastApplied;
    private byte[] lastUndoEncoding;
    /** {@link #lastUndoEncoding} with its changes' offsets and key hashes, or null (encoded without them). */
    private EncodedChanges lastUndoCut;
    private ExecutorService prefetcher;
    /** The running prefetch of the current block's view, or null. */
    private Future<?> prefetching;
    /** The receipt leaves of the block that executed last ({@link #receiptsFor}), packed on the helper thread, or null. */
    private Future<byte[]> receipts;
    private BlockOutput receiptsFor;

    FlinkChainStore(RuntimeContext rc) {
        entries = new KeyedStateStore(rc.getMapState(new MapStateDescriptor<>("state-v3",
                StateKeySerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE)));
        legacyEntries = rc.getMapState(new MapStateDescriptor<>("state-v1", Types.STRING, BYTES));
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
                AppliedWrites applied = call(() -> entries.apply(writes, view));
                lastApplied = applied;
                return applied.changes();
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

    private <T> T call(StateCall<T> c) {
        settle();
        try {
            return c.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("keyed state access failed", e);
        }
    }

    private void run(StateCall<Void> c) {
        call(c);
    }

    @Override
    public StateStore state() {
        return state;
    }

    /**
     * The engine reads through a guarded view whose prefetch of the predicted keys starts here, on
     * the helper thread, and overlaps execution (workers must not touch keyed state themselves).
     */
    @Override
    public StateView executionView(PreparedBody body) {
        settle();
        GuardedStateView view = new GuardedStateView(entries, body.predicted());
        prefetching = helper().submit(() -> {
            view.prefetch();
            return null;
        });
        lastView = view;
        currentView = view;
        return view;
    }

    /** The helper thread: the state prefetch, then the receipt leaves (one after the other, in submission order). */
    private ExecutorService helper() {
        if (prefetcher == null) {
            prefetcher = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "state-prefetch");
                t.setDaemon(true);
                return t;
            });
        }
        return prefetcher;
    }

    /**
     * Packs the block's receipt leaves on the helper thread (its prefetch is over by now, or is
     * before it in the queue) while the task thread commits: {@link #receiptLeaves} takes them.
     */
    @Override
    public void executed(List<PreparedTx> txs, BlockOutput output) {
        receiptsFor = output;
        receipts = helper().submit(() -> ReceiptLeaves.pack(txs, output.outcomes()));
    }

    /**
     * {@code ReceiptLeaves.pack(txs, output.outcomes())}: packed on the helper since
     * {@link #executed} for this output, else here. A pure function of its inputs, so where it
     * ran changes nothing; a failure there is rethrown as it was thrown.
     */
    byte[] receiptLeaves(List<PreparedTx> txs, BlockOutput output) {
        Future<byte[]> f = receipts;
        boolean mine = f != null && receiptsFor == output;
        receipts = null;
        receiptsFor = null;
        if (!mine) {
            return ReceiptLeaves.pack(txs, output.outcomes());
        }
        return HelperResult.await(f, "receipt leaves");
    }

    /**
     * Waits until the last view's prefetch is over (task thread): from then on only the task
     * thread touches keyed state. A prefetch that failed fails the task, as any backend failure.
     */
    void settle() {
        Future<?> f = prefetching;
        if (f == null) {
            return;
        }
        prefetching = null;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the prefetch must end before keyed state is used again
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("keyed state prefetch failed", e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The unit is done (called before the executor touches its own keyed state): the prefetch is
     * over, and the next unit may be another chain's (another key), whose state the last view did
     * not read, so its reads no longer count as current.
     */
    void endUnit() {
        settle();
        currentView = null;
    }

    /**
     * Moves the current chain's VERSION 2 entries (hex keys, {@code state-v1}) to {@code state-v3}
     * if there are any; returns how many moved. Idempotent: the old map is empty afterwards.
     */
    long migrateLegacyState() {
        return call(() -> legacyEntries.isEmpty() ? 0L : entries.migrateLegacy(legacyEntries));
    }

    /** Stops the prefetch thread (operator close). */
    void close() {
        if (prefetcher != null) {
            prefetcher.shutdownNow();
            prefetcher = null;
        }
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
        // the record's changes are the last write batch's effective ones: encoded from the bytes
        // that batch read and wrote (byte for byte ChainCodec.changes; see AppliedWrites)
        AppliedWrites applied = lastApplied;
        lastApplied = null;
        EncodedChanges encoded = applied == null ? null : applied.encode(record.changes());
        byte[] changes = encoded != null ? encoded.bytes() : ChainCodec.changes(record.changes());
        lastUndoChanges = record.changes();
        lastUndoEncoding = changes;
        lastUndoCut = encoded;
        run(() -> {
            undo.put(record.height(), ChainCodec.undo(record, changes));
            return null;
        });
    }

    /**
     * {@code ChainCodec.changes(changes)}: taken from the last undo record when these are its
     * changes (the same list: the chain core hands its Connected decision the list it recorded).
     */
    byte[] encodedChanges(List<StateChange> changes) {
        return changes == lastUndoChanges ? lastUndoEncoding : ChainCodec.changes(changes);
    }

    /**
     * {@link #encodedChanges} with where each change ends and its key's hash (for the commitment
     * slices), when these are the last undo record's changes and it was cut from the state writes'
     * encoding; else null.
     */
    EncodedChanges encodedChangesCut(List<StateChange> changes) {
        return changes == lastUndoChanges ? lastUndoCut : null;
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
