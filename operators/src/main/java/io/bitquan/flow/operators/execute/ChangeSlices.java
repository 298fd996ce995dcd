package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.ChainCodec;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import java.util.List;

/**
 * Splits one {@link ChainCodec#changes} encoding of a block's changes into the per-bucket
 * encodings the commitment partitions receive, by copying byte ranges: each change is encoded
 * once per block (the undo record's encoding, reused for the summary) instead of once more per
 * bucket. The result is byte-identical to encoding each bucket's changes, in block order.
 */
final class ChangeSlices {
    private ChangeSlices() {}

    /** The commitment partition a state key hashes into (stable across runs and JVMs: its hash is over its bytes). */
    static int bucket(StateKey key, int buckets) {
        return Math.floorMod(key.hashCode(), buckets);
    }

    /**
     * Per bucket, the encoding of that bucket's changes (null where it has none).
     *
     * @param encoded {@code ChainCodec.changes(changes)}
     */
    static byte[][] split(List<StateChange> changes, byte[] encoded, int buckets) {
        int n = changes.size();
        int[] ends = new int[n];
        int[] bucketOf = new int[n];
        if (i32(encoded, 0) != n) {
            throw new IllegalArgumentException("encoding holds " + i32(encoded, 0) + " changes, not " + n);
        }
        int pos = 4;
        for (int i = 0; i < n; i++) {
            pos += 4 + i32(encoded, pos);   // key
            pos = skipValue(encoded, pos);  // old value
            pos = skipValue(encoded, pos);  // new value
            ends[i] = pos;
            bucketOf[i] = bucket(changes.get(i).key(), buckets);
        }
        if (pos != encoded.length) {
            throw new IllegalArgumentException("trailing bytes after " + n + " changes");
        }
        return cut(encoded, ends, bucketOf, buckets);
    }

    /**
     * {@link #split(List, byte[], int)} of {@code encoded}'s changes, cut by the offsets and key
     * hashes recorded when it was written: byte for byte the same, without touching a change.
     */
    static byte[][] split(EncodedChanges encoded, int buckets) {
        int n = encoded.count();
        int[] hashes = encoded.keyHashes();
        int[] bucketOf = new int[n];
        for (int i = 0; i < n; i++) {
            bucketOf[i] = Math.floorMod(hashes[i], buckets);
        }
        return cut(encoded.bytes(), encoded.ends(), bucketOf, buckets);
    }

    /**
     * Per bucket, a count and the changes of that bucket copied in order: change {@code i} is
     * {@code bytes[ends[i-1], ends[i])} (the first starts after the count, at 4) and goes to bucket
     * {@code bucketOf[i]}; null where a bucket has none.
     */
    private static byte[][] cut(byte[] bytes, int[] ends, int[] bucketOf, int buckets) {
        int n = bucketOf.length;
        int[] counts = new int[buckets];
        int[] sizes = new int[buckets];
        int start = 4;
        for (int i = 0; i < n; i++) {
            counts[bucketOf[i]]++;
            sizes[bucketOf[i]] += ends[i] - start;
            start = ends[i];
        }
        byte[][] out = new byte[buckets][];
        int[] fill = new int[buckets];
        for (int b = 0; b < buckets; b++) {
            if (counts[b] > 0) {
                out[b] = new byte[4 + sizes[b]];
                putI32(out[b], counts[b]);
                fill[b] = 4;
            }
        }
        start = 4;
        for (int i = 0; i < n; i++) {
            int b = bucketOf[i];
            int len = ends[i] - start;
            System.arraycopy(bytes, start, out[b], fill[b], len);
            fill[b] += len;
            start = ends[i];
        }
        return out;
    }

    private static int skipValue(byte[] e, int pos) {
        boolean present = e[pos] != 0;
        pos++;
        return present ? pos + 4 + i32(e, pos) : pos;
    }

    private static int i32(byte[] e, int pos) {
        return ((e[pos] & 0xFF) << 24) | ((e[pos + 1] & 0xFF) << 16) | ((e[pos + 2] & 0xFF) << 8) | (e[pos + 3] & 0xFF);
    }

    private static void putI32(byte[] e, int v) {
        e[0] = (byte) (v >>> 24);
        e[1] = (byte) (v >>> 16);
        e[2] = (byte) (v >>> 8);
        e[3] = (byte) v;
    }
}
