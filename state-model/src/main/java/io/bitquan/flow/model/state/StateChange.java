package io.bitquan.flow.model.state;

/**
 * A committed change: a key with its value before and after (either may be {@code null} =
 * absent). The unit of state diffs, undo records and commitment deltas.
 */
public record StateChange(StateKey key, StateValue oldValue, StateValue newValue) {

    /** False for a write that left the key as it was (e.g. an output created and spent in one block). */
    public boolean changesSomething() {
        return oldValue == null ? newValue != null : !oldValue.equals(newValue);
    }

    /** The changes that change something, in order: what diffs, undo records and hashing use. */
    public static java.util.List<StateChange> effective(java.util.List<StateChange> applied) {
        java.util.List<StateChange> out = new java.util.ArrayList<>(applied.size());
        for (StateChange change : applied) {
            if (change.changesSomething()) {
                out.add(change);
            }
        }
        return out;
    }

    /** The change that undoes this one. */
    public StateChange inverse() {
        return new StateChange(key, newValue, oldValue);
    }
}
