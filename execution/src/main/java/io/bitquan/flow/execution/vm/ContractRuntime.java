package io.bitquan.flow.execution.vm;

import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.rules.TxOutcome;

/**
 * Where contract deploys and calls go. The {@code wasm} module provides the real runtime; until
 * one is configured, contract transactions make their block invalid ({@code contracts-disabled}).
 */
public interface ContractRuntime {

    ContractRuntime DISABLED = (tx, block, state) -> {
        throw new RuleViolation(Rule.CONTRACTS_DISABLED, "tx " + tx.index() + " is a contract transaction and no contract runtime is configured");
    };

    /** Same contract as {@link TransactionVm#execute}. */
    TxOutcome execute(PreparedTx tx, BlockContext block, StateAccess state);
}
