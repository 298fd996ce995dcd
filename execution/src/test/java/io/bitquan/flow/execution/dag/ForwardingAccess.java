package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;

/**
 * A view that forwards every call to the executor's view, so a test can override the one call it
 * watches (the keys or the key-binding hash the view hands the rules) and leave the rest as the
 * engine gave it. {@code credit} keeps the interface's read-modify-write default.
 */
class ForwardingAccess implements StateAccess {
    private final StateAccess inner;

    ForwardingAccess(StateAccess inner) {
        this.inner = inner;
    }

    @Override
    public StateValue read(StateKey key) {
        return inner.read(key);
    }

    @Override
    public void write(StateKey key, StateValue value) {
        inner.write(key, value);
    }

    @Override
    public StateKey accountKey(byte[] address) {
        return inner.accountKey(address);
    }

    @Override
    public StateKey utxoKey(byte[] txId, int index) {
        return inner.utxoKey(txId, index);
    }

    @Override
    public byte[] publicKeyHash(byte[] publicKey) {
        return inner.publicKeyHash(publicKey);
    }
}
