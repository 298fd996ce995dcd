package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The chain core's memory in the JVM heap (ChainRunner, execute, tests). */
public final class MemoryChainStore implements ChainStore {
    private final StateStore state;
    private ChainTip tip;
    private final Map<String, IndexEntry> index = new HashMap<>();
    private final Map<Long, UndoRecord> undo = new HashMap<>();
    private final Map<String, StoredBlock> stored = new HashMap<>();
    private final Map<String, byte[]> bodies = new HashMap<>();

    public MemoryChainStore(StateStore state) {
        this.state = state;
    }

    @Override
    public StateStore state() {
        return state;
    }

    @Override
    public ChainTip tip() {
        return tip;
    }

    @Override
    public void tip(ChainTip tip) {
        this.tip = tip;
    }

    @Override
    public IndexEntry entry(byte[] id) {
        return index.get(Bytes.hex(id));
    }

    @Override
    public void putEntry(byte[] id, IndexEntry entry) {
        index.put(Bytes.hex(id), entry);
    }

    @Override
    public void removeEntry(byte[] id) {
        index.remove(Bytes.hex(id));
    }

    @Override
    public List<byte[]> entryIds() {
        List<byte[]> ids = new ArrayList<>(index.size());
        index.keySet().forEach(k -> ids.add(Bytes.fromHex(k)));
        return ids;
    }

    @Override
    public UndoRecord undo(long height) {
        return undo.get(height);
    }

    @Override
    public void putUndo(UndoRecord record) {
        undo.put(record.height(), record);
    }

    @Override
    public void removeUndo(long height) {
        undo.remove(height);
    }

    @Override
    public StoredBlock stored(byte[] id) {
        return stored.get(Bytes.hex(id));
    }

    @Override
    public byte[] storedBody(byte[] id) {
        return bodies.get(Bytes.hex(id));
    }

    @Override
    public void putStored(byte[] id, StoredBlock meta, byte[] body) {
        stored.put(Bytes.hex(id), meta);
        bodies.put(Bytes.hex(id), body);
    }

    @Override
    public void removeStored(byte[] id) {
        stored.remove(Bytes.hex(id));
        bodies.remove(Bytes.hex(id));
    }

    @Override
    public List<byte[]> storedIds() {
        List<byte[]> ids = new ArrayList<>(stored.size());
        stored.keySet().forEach(k -> ids.add(Bytes.fromHex(k)));
        return ids;
    }
}
