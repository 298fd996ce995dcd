package io.bitquan.flow.operators.execute;

/**
 * A block's changes as {@code ChainCodec.changes} encodes them ({@link #bytes}), with where each
 * change's encoding ends ({@code ends[i]}: offset after change {@code i}; change 0 starts after
 * the 4-byte count) and its key's hash ({@code keyHashes[i]}, {@code StateKey.hashCode}: what the
 * commitment bucket is taken from). Made while the state writes hold each key, old and new value
 * at hand ({@link KeyedStateStore#apply}), so that the undo record and the commitment partitions'
 * slices ({@link ChangeSlices#split(EncodedChanges, int)}) are cut from it without walking the
 * change objects again (on the serial thread those walks were pointer chasing: a cache miss per
 * key, value and change).
 */
record EncodedChanges(byte[] bytes, int[] ends, int[] keyHashes) {

    int count() {
        return ends.length;
    }

    /** Offset where change {@code i}'s encoding starts. */
    int start(int i) {
        return i == 0 ? 4 : ends[i - 1];
    }
}
