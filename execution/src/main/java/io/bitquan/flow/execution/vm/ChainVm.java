package io.bitquan.flow.execution.vm;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.rules.UtxoRules;

/** The chain's VM: native UTXO and account rules, contracts delegated to a {@link ContractRuntime}. */
public final class ChainVm implements TransactionVm {
    private final ContractRuntime contracts;

    public ChainVm() {
        this(ContractRuntime.DISABLED);
    }

    public ChainVm(ContractRuntime contracts) {
        this.contracts = contracts;
    }

    @Override
    public TxOutcome execute(PreparedTx tx, BlockContext block, StateAccess state) {
        Object body = tx.body();
        if (body instanceof UtxoTransfer) {
            return UtxoRules.applyTransfer(tx, block.height(), block.config(), state);
        }
        if (body instanceof AccountTransfer) {
            return AccountRules.applyTransfer(tx, state);
        }
        if (body instanceof Coinbase) {
            return UtxoRules.applyCoinbase(tx, block.height(), state);
        }
        return contracts.execute(tx, block, state);
    }
}
