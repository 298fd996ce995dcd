package io.bitquan.flow.execution.vm;

import io.bitquan.flow.model.rules.StateAccess;

/**
 * The engine's view with a {@link KeyHashCache} in front of its key hashing: {@link #publicKeyHash}
 * asks the cache first and the engine's view on a miss; every other {@code StateAccess} call is
 * handed to the engine's view unchanged by {@link ForwardingStateAccess} (reads, writes,
 * commutative credits, the keys a predicted schedule hands ready-made). One per transaction
 * execution (the VM call it wraps); holds nothing of its own.
 */
final class KeyHashView extends ForwardingStateAccess {
    private final KeyHashCache cache;

    KeyHashView(StateAccess engineView, KeyHashCache cache) {
        super(engineView);
        this.cache = cache;
    }

    /** The held hash of these bytes, else the engine's view's (its bound hash, or BLAKE3), then held. */
    @Override
    public byte[] publicKeyHash(byte[] publicKey) {
        return cache.hash(publicKey, super::publicKeyHash);
    }
}
