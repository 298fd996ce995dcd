package io.bitquan.flow.execution.chain;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateStore;
import io.bitquan.flow.model.state.StateView;
import java.util.List;

/**
 * Where the chain core keeps everything it remembers: the state, the tip, the block index, the
 * undo records of the active chain and the blocks it holds (waiting for a parent, or on a side
 * branch). {@link MemoryChainStore} backs ChainRunner; the Flink executor backs it with keyed
 * state. Ids are header ids; implementations key them by value (hex), never by array identity.
 * Iteration order is unspecified: the core sorts whatever it iterates.
 */
public interface ChainStore {

    StateStore state();

    /** The view a block executes over; the executor prefetches the predicted keys here. */
    default StateView executionView(PreparedBody body) {
        return state();
    }

    /**
     * A block executed and was accepted; the core commits it next. An implementation may start
     * work that only reads {@code txs} and {@code output} (both immutable from here) while the core
     * commits, e.g. on a helper thread (the Flink executor packs the receipt leaves). Nothing the
     * core decides depends on it.
     */
    default void executed(List<PreparedTx> txs, BlockOutput output) {}

    /** {@code null} before genesis was loaded. */
    ChainTip tip();

    void tip(ChainTip tip);

    IndexEntry entry(byte[] id);

    void putEntry(byte[] id, IndexEntry entry);

    void removeEntry(byte[] id);

    List<byte[]> entryIds();

    UndoRecord undo(long height);

    void putUndo(UndoRecord record);

    void removeUndo(long height);

    StoredBlock stored(byte[] id);

    byte[] storedBody(byte[] id);

    void putStored(byte[] id, StoredBlock meta, byte[] body);

    void removeStored(byte[] id);

    List<byte[]> storedIds();
}
