package io.bitquan.flow.execution.engine;

import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateWrite;
import java.util.List;

/**
 * The result of executing a block.
 *
 * @param writes   the final write set, sorted by key, one entry per key (empty when rejected)
 * @param outcomes one per transaction in block order (empty when rejected)
 * @param fees     the block's fee accumulator: credited once, after the last transaction
 * @param violation the first rule broken in block order, or {@code null} when accepted
 * @param violationTx position in the block ({@code txs} list index) of the transaction that broke it, the
 *                    same in every engine; -1 when accepted
 * @param stats    engine counters; not part of the result's identity
 */
public record BlockOutput(List<StateWrite> writes, List<TxOutcome> outcomes, long fees,
                          RuleViolation violation, int violationTx, ExecutionStats stats) {

    public boolean accepted() {
        return violation == null;
    }

    public static BlockOutput rejected(RuleViolation violation, int txIndex, ExecutionStats stats) {
        return new BlockOutput(List.of(), List.of(), 0, violation, txIndex, stats);
    }
}
