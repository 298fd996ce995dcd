package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.state.StateChange;
import java.util.List;

/**
 * One state write batch as {@link KeyedStateStore} applied it: the changes, per change the bytes
 * its old value was read as and its new value was written as (null: absent), and the changes'
 * {@code ChainCodec.changes} encoding written in the same pass ({@link #encoded}). The chain core
 * records the effective ones (a subsequence of {@link #changes}, the same instances) as the undo
 * record; {@link #encode} cuts their encoding out of {@link #encoded} (all of it when every change
 * is effective, the usual case), so each value is encoded once per block (for the state write)
 * and each change once, while its key and values are at hand.
 */
record AppliedWrites(List<StateChange> changes, byte[][] oldEncoded, byte[][] newEncoded, EncodedChanges encoded) {

    /**
     * {@code ChainCodec.changes(subset)}, byte for byte, with where each change ends and its key's
     * hash; null when {@code subset} is not a subsequence of {@link #changes} by identity (then
     * the caller encodes).
     */
    EncodedChanges encode(List<StateChange> subset) {
        int m = subset.size();
        int[] at = new int[m];
        int j = 0;
        for (int i = 0; i < m; i++) {
            StateChange c = subset.get(i);
            while (j < changes.size() && changes.get(j) != c) {
                j++;
            }
            if (j == changes.size()) {
                return null;
            }
            at[i] = j++;
        }
        if (m == changes.size()) {
            return encoded; // every change (a subsequence as long as the list is the list)
        }
        int size = 4;
        for (int i = 0; i < m; i++) {
            size += encoded.ends()[at[i]] - encoded.start(at[i]);
        }
        byte[] out = new byte[size];
        out[0] = (byte) (m >>> 24);
        out[1] = (byte) (m >>> 16);
        out[2] = (byte) (m >>> 8);
        out[3] = (byte) m;
        int[] ends = new int[m];
        int[] hashes = new int[m];
        int pos = 4;
        for (int i = 0; i < m; i++) {
            int from = encoded.start(at[i]);
            int len = encoded.ends()[at[i]] - from;
            System.arraycopy(encoded.bytes(), from, out, pos, len);
            pos += len;
            ends[i] = pos;
            hashes[i] = encoded.keyHashes()[at[i]];
        }
        return new EncodedChanges(out, ends, hashes);
    }
}
