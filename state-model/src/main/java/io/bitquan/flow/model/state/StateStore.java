package io.bitquan.flow.model.state;

import java.util.List;
import java.util.function.BiConsumer;

/** Committed state: a {@link StateView} that can apply a block's write set. */
public interface StateStore extends StateView {

    /**
     * Applies the writes (sorted by key, one per key) and returns the changes with their old
     * values, in the same order. Writes that leave a value as it was are still reported.
     */
    List<StateChange> apply(List<StateWrite> writes);

    /** Visits every entry (order unspecified; callers that hash must not depend on it). */
    void forEach(BiConsumer<StateKey, StateValue> visitor);

    int size();
}
