package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.util.Arrays;

/**
 * Account rules. A transfer is valid iff the key hashes to the sender address, the nonce equals
 * the account's, amounts are in range and balance >= amount + fee. The fee goes to the block's
 * fee accumulator, not to any account, so no transaction writes a shared fee key.
 */
public final class AccountRules {
    private AccountRules() {}

    public static TxOutcome applyTransfer(PreparedTx ptx, StateAccess state) {
        AccountTransfer tx = (AccountTransfer) ptx.body();
        byte[] sender = Bytes.of(tx.getSender());
        byte[] recipient = Bytes.of(tx.getRecipient());
        if (recipient.length != StateKey.ADDRESS_BYTES) {
            throw new RuleViolation(Rule.TX_MALFORMED, "tx " + ptx.index() + " recipient is not 32 bytes");
        }
        long amount = Amounts.checkRange(tx.getAmount(), "amount");
        long fee = Amounts.checkRange(tx.getFee(), "fee");
        chargeSender(ptx, sender, Bytes.of(tx.getPublicKey()), tx.getNonce(),
                Amounts.add(amount, fee, "amount + fee"), state);
        // A commutative credit: the transfer never needs the recipient's balance, so an executor
        // may record it as a delta instead of a read-modify-write (see StateAccess#credit).
        state.credit(state.accountKey(recipient), amount);
        return TxOutcome.ok(fee);
    }

    /** The recipient side of a transfer: {@code to} plus {@code amount}, range-checked (the one place that rule lives). */
    public static AccountState credited(AccountState to, long amount) {
        return new AccountState(Amounts.add(to.balance(), amount, "recipient balance"), to.nonce());
    }

    /**
     * Checks key binding and nonce, debits {@code total} and bumps the nonce. Shared by transfers
     * and the up-front fee of contract transactions.
     */
    public static StateKey chargeSender(PreparedTx ptx, byte[] sender, byte[] publicKey, long nonce, long total, StateAccess state) {
        if (sender.length != StateKey.ADDRESS_BYTES) {
            throw new RuleViolation(Rule.TX_MALFORMED, "tx " + ptx.index() + " sender is not 32 bytes");
        }
        if (!Arrays.equals(state.publicKeyHash(publicKey), sender)) {
            throw new RuleViolation(Rule.ACCOUNT_KEY_MISMATCH, "tx " + ptx.index() + " public key does not hash to the sender");
        }
        StateKey senderKey = state.accountKey(sender);
        AccountState from = read(state, senderKey);
        if (nonce != from.nonce()) {
            throw new RuleViolation(Rule.ACCOUNT_BAD_NONCE, "tx " + ptx.index() + " nonce " + nonce + ", account expects " + from.nonce());
        }
        if (from.balance() < total) {
            throw new RuleViolation(Rule.ACCOUNT_INSUFFICIENT_BALANCE, "tx " + ptx.index() + " needs " + total + ", balance " + from.balance());
        }
        state.write(senderKey, new AccountState(from.balance() - total, from.nonce() + 1));
        return senderKey;
    }

    public static AccountState read(StateAccess state, StateKey key) {
        StateValue value = state.read(key);
        return value == null ? AccountState.EMPTY : (AccountState) value;
    }
}
