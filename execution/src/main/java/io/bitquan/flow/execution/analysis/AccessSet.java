package io.bitquan.flow.execution.analysis;

import io.bitquan.flow.model.state.StateKey;
import java.util.List;

/**
 * The keys a transaction is predicted to read and to write, derived from its body alone (no
 * state). {@code complete} is false when the transaction may touch keys the prediction does not
 * know (a contract call without an access list, a deploy). Predictions are scheduling hints:
 * a wrong one costs time, never correctness. Immutable.
 */
public record AccessSet(List<StateKey> reads, List<StateKey> writes, boolean complete) {
    public static final AccessSet UNKNOWN = new AccessSet(List.of(), List.of(), false);
}
