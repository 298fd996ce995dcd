package io.bitquan.flow.execution.engine;

import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateView;
import java.util.List;

/**
 * Executes one block's transactions over a base state. Every implementation must return a
 * {@link BlockOutput} byte-identical to {@link SequentialEngine}'s for the same input: that is
 * the definition of correct. The base view is only read, never written.
 */
public interface ExecutionEngine extends AutoCloseable {

    /** The engine's name on the command line and in reports. */
    String name();

    BlockOutput execute(BlockContext block, List<PreparedTx> txs, StateView base);

    /** Releases worker threads, if any. */
    @Override
    default void close() {}
}
