package io.bitquan.flow.operators.model;

import io.bitquan.flow.execution.chain.ChainCodec;
import io.bitquan.flow.model.state.StateChange;
import java.util.List;

/**
 * State changes as bytes on the wire between operators: the chain core's encoding
 * ({@link ChainCodec#changes}), so undo records and wire batches share one layout.
 */
public final class ChangeCodec {
    private ChangeCodec() {}

    public static byte[] encode(List<StateChange> changes) {
        return ChainCodec.changes(changes);
    }

    public static List<StateChange> decode(byte[] bytes) {
        return ChainCodec.changes(bytes);
    }
}
