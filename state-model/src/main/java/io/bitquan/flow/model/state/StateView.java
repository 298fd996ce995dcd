package io.bitquan.flow.model.state;

/**
 * Read access to state as executors see it. Implementations may be the committed store, a
 * block's overlay, or Block-STM's multi-version memory; executors never learn which.
 */
@FunctionalInterface
public interface StateView {

    /** The current value, or {@code null} when the key is absent. */
    StateValue read(StateKey key);
}
