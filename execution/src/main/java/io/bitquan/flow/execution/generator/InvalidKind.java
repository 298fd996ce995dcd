package io.bitquan.flow.execution.generator;

import io.bitquan.flow.model.rules.Rule;

/** The invalid transaction an invalid block variant carries, rotating in this order. */
public enum InvalidKind {
    DOUBLE_SPEND(Rule.UTXO_MISSING),
    BAD_SIGNATURE(Rule.SIGNATURE_INVALID),
    IMMATURE_COINBASE_SPEND(Rule.UTXO_IMMATURE_COINBASE),
    OVERSPEND(Rule.UTXO_OVERSPEND),
    BAD_NONCE(Rule.ACCOUNT_BAD_NONCE);

    private final Rule expectedRule;

    InvalidKind(Rule expectedRule) {
        this.expectedRule = expectedRule;
    }

    /** The rule a node must report when it rejects the variant. */
    public Rule expectedRule() {
        return expectedRule;
    }
}
