package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.ChainCodec;
import io.bitquan.flow.model.state.StateChange;
import java.util.List;

/**
 * One state write batch as {@link KeyedStateStore} applied it: the changes, and per change the
 * bytes its old value was read as and its new value was written as (null: absent). The chain core
 * records the effective ones (a subsequence of {@link #changes}, the same instances) as the undo
 * record; {@link #encode} encodes them from these bytes, so each value is encoded once per block
 * (for the state write) instead of once more for the undo record and the commitment partitions.
 */
record AppliedWrites(List<StateChange> changes, byte[][] oldEncoded, byte[][] newEncoded) {

    /**
     * {@code ChainCodec.changes(subset)}, byte for byte, from the held bytes; null when
     * {@code subset} is not a subsequence of {@link #changes} by identity (then the caller encodes).
     */
    byte[] encode(List<StateChange> subset) {
        int m = subset.size();
        byte[][] olds = new byte[m][];
        byte[][] news = new byte[m][];
        int j = 0;
        for (int i = 0; i < m; i++) {
            StateChange c = subset.get(i);
            while (j < changes.size() && changes.get(j) != c) {
                j++;
            }
            if (j == changes.size()) {
                return null;
            }
            olds[i] = oldEncoded[j];
            news[i] = newEncoded[j];
            j++;
        }
        return ChainCodec.changes(subset, olds, news);
    }
}
