package io.bitquan.flow.model.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A heap-backed store for the CLI, tests and benchmarks. Not thread-safe for writers; any
 * number of readers may read while no block is being applied (Block-STM workers do).
 */
public final class InMemoryStateStore implements StateStore {
    private final Map<StateKey, StateValue> entries;

    public InMemoryStateStore() {
        this.entries = new HashMap<>();
    }

    private InMemoryStateStore(Map<StateKey, StateValue> entries) {
        this.entries = entries;
    }

    @Override
    public StateValue read(StateKey key) {
        return entries.get(key);
    }

    @Override
    public List<StateChange> apply(List<StateWrite> writes) {
        List<StateChange> changes = new ArrayList<>(writes.size());
        for (StateWrite write : writes) {
            StateValue old = write.isDelete() ? entries.remove(write.key()) : entries.put(write.key(), write.value());
            changes.add(new StateChange(write.key(), old, write.value()));
        }
        return changes;
    }

    @Override
    public void forEach(BiConsumer<StateKey, StateValue> visitor) {
        entries.forEach(visitor);
    }

    @Override
    public int size() {
        return entries.size();
    }

    /** An independent copy (for tests that compare a store before and after). */
    public InMemoryStateStore copy() {
        return new InMemoryStateStore(new HashMap<>(entries));
    }

    /** The whole state as sorted canonical (key, value) byte pairs: byte-identical comparison. */
    public List<byte[][]> canonicalEntries() {
        List<byte[][]> out = new ArrayList<>(entries.size());
        entries.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(new byte[][] {e.getKey().encoded(), e.getValue().encode()}));
        return out;
    }
}
