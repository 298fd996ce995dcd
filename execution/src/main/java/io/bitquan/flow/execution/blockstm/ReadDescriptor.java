package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.state.StateKey;

/**
 * What one read of a transaction saw: the version it read ({@code txIndex, incarnation}), or the
 * block's base storage ({@code txIndex == STORAGE}). Validation re-reads the key and compares
 * versions, never values, exactly as the paper does. Immutable.
 */
public record ReadDescriptor(StateKey key, int txIndex, int incarnation) {
    public static final int STORAGE = -1;

    public static ReadDescriptor storage(StateKey key) {
        return new ReadDescriptor(key, STORAGE, 0);
    }

    public boolean fromStorage() {
        return txIndex == STORAGE;
    }
}
