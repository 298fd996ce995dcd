package io.bitquan.flow.model.state;

/**
 * A committed change: a key with its value before and after (either may be {@code null} =
 * absent). The unit of state diffs, undo records and commitment deltas.
 */
public record StateChange(StateKey key, StateValue oldValue, StateValue newValue) {

    /** The change that undoes this one. */
    public StateChange inverse() {
        return new StateChange(key, newValue, oldValue);
    }
}
