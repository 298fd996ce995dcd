package io.bitquan.flow.execution.vm;

import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.rules.TxOutcome;

/**
 * The VM callback: executes one transaction against the state view it is given. Every engine
 * (sequential, Block-STM, two-phase) calls it the same way, so it must be a pure function of
 * (transaction, block context, values read through {@code state}): no other state, no clock, no
 * randomness, no I/O. Writes go only through {@code state}.
 *
 * <p>It may be called concurrently for different transactions, and again for the same one
 * (Block-STM re-executes). It throws {@link io.bitquan.flow.model.rules.RuleViolation} when the
 * transaction breaks a rule, and must let every other exception from {@code state.read}
 * propagate untouched: Block-STM signals a read dependency that way.
 */
@FunctionalInterface
public interface TransactionVm {

    TxOutcome execute(PreparedTx tx, BlockContext block, StateAccess state);
}
