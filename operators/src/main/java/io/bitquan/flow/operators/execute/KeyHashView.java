package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;

/**
 * The engine's view with the executor's {@link KeyHashCache} in front of its key hashing: every
 * {@code StateAccess} method is handed to the engine's view unchanged (reads, writes, commutative
 * credits, the keys a predicted schedule hands ready-made), except {@link #publicKeyHash}, which
 * asks the cache first and the engine's view on a miss. One per transaction execution (the VM call
 * it wraps); holds nothing of its own. {@code KeyHashViewTest} checks that every method of
 * {@code StateAccess} is overridden here, so a method added to the interface later cannot bypass
 * the engine's view through its default.
 */
final class KeyHashView implements StateAccess {
    private final StateAccess engineView;
    private final KeyHashCache cache;

    KeyHashView(StateAccess engineView, KeyHashCache cache) {
        this.engineView = engineView;
        this.cache = cache;
    }

    @Override
    public byte[] publicKeyHash(byte[] publicKey) {
        return cache.hash(publicKey, engineView::publicKeyHash);
    }

    @Override
    public StateValue read(StateKey key) {
        return engineView.read(key);
    }

    @Override
    public void write(StateKey key, StateValue value) {
        engineView.write(key, value);
    }

    @Override
    public void credit(StateKey key, long amount) {
        engineView.credit(key, amount);
    }

    @Override
    public StateKey accountKey(byte[] address) {
        return engineView.accountKey(address);
    }

    @Override
    public StateKey utxoKey(byte[] txId, int index) {
        return engineView.utxoKey(txId, index);
    }
}
