package io.bitquan.flow.model.state;

import java.util.Objects;

/** One entry of a write set: the key's new value, or {@code null} to delete it. */
public record StateWrite(StateKey key, StateValue value) implements Comparable<StateWrite> {

    public StateWrite {
        Objects.requireNonNull(key, "key");
    }

    public boolean isDelete() {
        return value == null;
    }

    @Override
    public int compareTo(StateWrite other) {
        return key.compareTo(other.key);
    }
}
