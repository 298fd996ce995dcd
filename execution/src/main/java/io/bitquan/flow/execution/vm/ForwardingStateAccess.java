package io.bitquan.flow.execution.vm;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;

/**
 * A view that hands every {@link StateAccess} call to the engine's view it wraps, for a view
 * that changes one call and leaves the rest as the engine gave them ({@link KeyHashView}; tests
 * that watch the keys or hashes the rules are handed).
 *
 * <p>Every method is forwarded, the interface's default methods too ({@code credit},
 * {@code accountKey}, {@code utxoKey}, {@code publicKeyHash}): inheriting a default would
 * bypass the engine's own version (a parallel engine's commutative credit, the predicted
 * schedule's ready-made keys and bound hashes) and run the default over the wrapped view
 * instead. {@code ForwardingStateAccessTest} calls each method of the interface through this
 * class by reflection, so a method added to {@code StateAccess} and not forwarded here fails it.
 */
public abstract class ForwardingStateAccess implements StateAccess {
    private final StateAccess delegate;

    protected ForwardingStateAccess(StateAccess delegate) {
        this.delegate = delegate;
    }

    @Override
    public StateValue read(StateKey key) {
        return delegate.read(key);
    }

    @Override
    public void write(StateKey key, StateValue value) {
        delegate.write(key, value);
    }

    @Override
    public void credit(StateKey key, long amount) {
        delegate.credit(key, amount);
    }

    @Override
    public StateKey accountKey(byte[] address) {
        return delegate.accountKey(address);
    }

    @Override
    public StateKey utxoKey(byte[] txId, int index) {
        return delegate.utxoKey(txId, index);
    }

    @Override
    public byte[] publicKeyHash(byte[] publicKey) {
        return delegate.publicKeyHash(publicKey);
    }
}
