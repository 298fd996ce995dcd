package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;

/**
 * What a transaction may do to state: read (seeing its own earlier writes) and write.
 * Executors implement it so that every access is visible to them (Block-STM records reads).
 */
public interface StateAccess extends StateView {

    /** Sets the key's value; {@code null} deletes it. */
    void write(StateKey key, StateValue value);

    /**
     * Adds {@code amount} (already range-checked) to the balance of the account at {@code key}:
     * by definition, reading it, {@link AccountRules#credited} and writing it back, which is what
     * this default does. A parallel executor may instead record a commutative delta resolved in
     * block order, provided every result (values, receipts, the rule and message of a range
     * violation) is identical.
     */
    default void credit(StateKey key, long amount) {
        write(key, AccountRules.credited(AccountRules.read(this, key), amount));
    }

    /**
     * The key of the account at {@code address} (32 bytes), for the rules to read and write:
     * {@link StateKey#account(byte[])} by default. A view that already holds that key (the
     * predicted schedule's, built and hashed once per block) may return its own instance, which
     * must equal the built one (checked on the address bytes, never assumed).
     */
    default StateKey accountKey(byte[] address) {
        return StateKey.account(address);
    }

    /** The key of output {@code index} of {@code txId} (32 bytes): as {@link #accountKey}, {@link StateKey#utxo(byte[], int)}. */
    default StateKey utxoKey(byte[] txId, int index) {
        return StateKey.utxo(txId, index);
    }

    /**
     * BLAKE3 of a presented public key, for the key binding checks (a transfer's sender, a
     * spend's input lock): {@link Blake3#hash(byte[])} by default. A view that already hashed
     * these very bytes for the running transaction (the predicted schedule hashes them in its
     * prediction pass, which both workers share) may return that hash, provided it compares
     * {@code publicKey} byte for byte with the bytes it hashed (never assumed). The rules only
     * compare the result; they never modify it.
     */
    default byte[] publicKeyHash(byte[] publicKey) {
        return Blake3.hash(publicKey);
    }
}
