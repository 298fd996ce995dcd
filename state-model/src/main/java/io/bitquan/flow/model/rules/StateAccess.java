package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;

/**
 * What a transaction may do to state: read (seeing its own earlier writes) and write.
 * Executors implement it so that every access is visible to them (Block-STM records reads).
 */
public interface StateAccess extends StateView {

    /** Sets the key's value; {@code null} deletes it. */
    void write(StateKey key, StateValue value);
}
