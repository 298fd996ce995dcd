package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateView;
import java.util.List;

/**
 * A test engine for ChainRunner: runs the sequential reference and every candidate on the same
 * base state, asserts byte-identical results, and returns the reference's output so the chain
 * advances exactly as a sequential node's would.
 */
public final class ComparingEngine implements ExecutionEngine {
    private final SequentialEngine reference;
    private final List<ExecutionEngine> candidates;
    public int blocksCompared;
    public int rejectedCompared;

    public ComparingEngine(TransactionVm vm, List<ExecutionEngine> candidates) {
        this.reference = new SequentialEngine(vm);
        this.candidates = candidates;
    }

    @Override
    public String name() {
        return "comparing";
    }

    @Override
    public BlockOutput execute(BlockContext block, List<PreparedTx> txs, StateView base) {
        BlockOutput expected = reference.execute(block, txs, base);
        for (ExecutionEngine candidate : candidates) {
            BlockOutput actual = candidate.execute(block, txs, base);
            OutputAssertions.assertSameResult(actual, expected, candidate.name() + " at height " + block.height());
        }
        blocksCompared++;
        if (!expected.accepted()) {
            rejectedCompared++;
        }
        return expected;
    }

    @Override
    public void close() {
        candidates.forEach(ExecutionEngine::close);
    }
}
