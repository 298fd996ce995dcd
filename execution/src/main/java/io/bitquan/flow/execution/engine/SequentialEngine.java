package io.bitquan.flow.execution.engine;

import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference executor and the definition of the right answer: transactions run one after
 * another in block order, each over the state its predecessors left. The first rule broken
 * rejects the block. Fees are summed into one accumulator and checked against the coinbase
 * claim after the last transaction.
 */
public final class SequentialEngine implements ExecutionEngine {
    private final TransactionVm vm;

    public SequentialEngine(TransactionVm vm) {
        this.vm = vm;
    }

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public BlockOutput execute(BlockContext block, List<PreparedTx> txs, StateView base) {
        WriteBuffer blockState = new WriteBuffer(base, txs.size() * 3);
        List<TxOutcome> outcomes = new ArrayList<>(txs.size());
        long fees = 0;
        for (int i = 0; i < txs.size(); i++) {
            PreparedTx tx = txs.get(i);
            WriteBuffer txState = new WriteBuffer(blockState);
            TxOutcome outcome;
            try {
                outcome = vm.execute(tx, block, txState);
            } catch (RuleViolation violation) {
                // violationTx is the position in the block in every engine (see BlockOutput).
                return BlockOutput.rejected(violation, i, new ExecutionStats(i + 1L, 0, 0, 0));
            } catch (RuntimeException | Error failure) {
                if (!TransactionFailed.isTransactionFailure(failure)) {
                    throw failure;
                }
                throw new TransactionFailed(i, failure);
            }
            for (StateWrite write : txState.writes()) {
                blockState.write(write.key(), write.value());
            }
            outcomes.add(outcome);
            fees += outcome.fee();
        }
        return finish(block, txs, blockState.writes(), outcomes, fees, new ExecutionStats(txs.size(), 0, 0, 0));
    }

    /**
     * The block-level end shared by every engine: the coinbase claim against subsidy + fees.
     * Fees cannot overflow: each is in [0, MAX_MONEY] and a block holds far fewer than 2^30 txs.
     */
    public static BlockOutput finish(BlockContext block, List<PreparedTx> txs, List<StateWrite> writes,
                                     List<TxOutcome> outcomes, long fees, ExecutionStats stats) {
        if (!txs.isEmpty() && txs.get(0).isCoinbase()) {
            RuleViolation overclaim = BlockRules.checkCoinbaseClaim(txs.get(0), block.height(), fees, block.config());
            if (overclaim != null) {
                return BlockOutput.rejected(overclaim, 0, stats);
            }
        }
        return new BlockOutput(List.copyOf(writes), List.copyOf(outcomes), fees, null, -1, stats);
    }
}
