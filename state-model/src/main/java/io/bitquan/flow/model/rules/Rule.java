package io.bitquan.flow.model.rules;

/**
 * Every consensus rule a block or transaction can break, with its stable id. Ids appear in
 * {@code block <h> rejected rule=<id>} lines and in {@code BlockResult.rejectedRule}: they are an
 * interface, never rename one. docs/RULES.md maps each rule to the code that checks it.
 */
public enum Rule {
    // Block structure (checked before execution).
    HEADER_CHAIN_ID("header-chain-id"),
    HEADER_HEIGHT("header-height"),
    HEADER_PARENT("header-parent"),
    HEADER_MALFORMED("header-malformed"),
    BLOCK_EMPTY("block-empty"),
    BLOCK_TOO_LARGE("block-too-large"),
    TX_ROOT_MISMATCH("tx-root-mismatch"),
    COINBASE_MISSING("coinbase-missing"),
    COINBASE_NOT_FIRST("coinbase-not-first"),
    COINBASE_HEIGHT("coinbase-height"),
    TX_MALFORMED("tx-malformed"),
    // Signatures (checked by the prepare step, in parallel).
    SIGNATURE_INVALID("signature-invalid"),
    // UTXO transactions.
    UTXO_EMPTY("utxo-empty"),
    UTXO_DUPLICATE_INPUT("utxo-duplicate-input"),
    UTXO_MISSING("utxo-missing-or-spent"),
    UTXO_LOCK_MISMATCH("utxo-lock-mismatch"),
    UTXO_IMMATURE_COINBASE("utxo-immature-coinbase"),
    UTXO_OUTPUT_EXISTS("utxo-output-exists"),
    AMOUNT_RANGE("amount-out-of-range"),
    UTXO_OVERSPEND("utxo-outputs-exceed-inputs"),
    // Account transactions (transfers, and the up-front fee of contract transactions).
    ACCOUNT_KEY_MISMATCH("account-key-mismatch"),
    ACCOUNT_BAD_NONCE("account-bad-nonce"),
    ACCOUNT_INSUFFICIENT_BALANCE("account-insufficient-balance"),
    // Contracts.
    CONTRACTS_DISABLED("contracts-disabled"),
    CONTRACT_INVALID("contract-invalid"),
    // Block-level accounting (checked after the last transaction).
    COINBASE_OVERCLAIM("coinbase-overclaim"),
    // Chain events.
    DISCONNECT_NOT_TIP("disconnect-not-tip"),
    DISCONNECT_BEYOND_WINDOW("disconnect-beyond-window");

    private final String id;

    Rule(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Rule fromId(String id) {
        for (Rule rule : values()) {
            if (rule.id.equals(id)) {
                return rule;
            }
        }
        throw new IllegalArgumentException("unknown rule id " + id);
    }
}
