package io.bitquan.flow.operators.commit;

import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.operators.model.ChangeCodec;
import io.bitquan.flow.operators.model.CommitPart;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Hashes one commitment bucket's changes of one block into an LtHash delta (remove old entry,
 * add new entry; two BLAKE3 XOF element hashes per changed key, the expensive part of the state
 * commitment). Runs keyed by (chain, bucket) so the hashing spreads over subtasks; the committer
 * just adds the deltas. Stateless.
 *
 * <p>The batch is hashed as it arrives, encoded ({@link ChangeCodec}: per change a length-prefixed
 * key, then the old and the new value, each a presence byte and a length-prefixed value): the
 * element encoding an LtHash hashes is the key's and the value's length-prefixed bytes, so each
 * element is copied out of the batch as is ({@link LtHash#addEncoded}) instead of decoding every
 * key and value into objects and encoding the values again (round 11: that round trip allocated
 * four objects and two arrays per change on this thread). Byte for byte the same delta as
 * {@link #deltaOfDecoded}: the values are the executor's canonical bytes.
 */
public final class CommitmentPartition extends RichMapFunction<CommitPart, CommitPart> {
    private static final long serialVersionUID = 1L;

    @Override
    public CommitPart map(CommitPart keys) {
        return delta(keys);
    }

    public static CommitPart delta(CommitPart keys) {
        if (keys.kind != CommitPart.Kind.KEYS) {
            throw new IllegalArgumentException("expected KEYS, got " + keys.kind + " for seq " + keys.seq);
        }
        return part(keys, ofEncoded(keys.changes));
    }

    /** The reference: the same delta from the decoded changes (tests hold {@link #delta} against it). */
    static CommitPart deltaOfDecoded(CommitPart keys) {
        LtHash delta = new LtHash();
        for (StateChange change : ChangeCodec.decode(keys.changes)) {
            delta.apply(change);
        }
        return part(keys, delta);
    }

    private static CommitPart part(CommitPart keys, LtHash delta) {
        CommitPart out = CommitPart.of(CommitPart.Kind.DELTA, keys.chainId, keys.seq);
        out.bucket = keys.bucket;
        out.delta = delta.toBytes();
        return out;
    }

    /**
     * The LtHash delta of an encoded change list (null: none), walked in place. Checked as strictly
     * as decoding it: the count, each key's length for its tag, the presence bytes, no short or
     * trailing bytes (a malformed batch fails here, as it failed in the decoder).
     */
    static LtHash ofEncoded(byte[] changes) {
        LtHash delta = new LtHash();
        if (changes == null) {
            return delta;
        }
        int n = i32(changes, 0);
        if (n < 0) {
            throw new IllegalArgumentException("negative change count " + n);
        }
        int pos = 4;
        for (int i = 0; i < n; i++) {
            int keyField = pos;
            int keyLength = i32(changes, pos);
            if (keyLength < 1 || keyLength > changes.length - pos - 4
                    || StateKey.encodedLength(changes[pos + 4] & 0xFF) != keyLength) {
                throw new IllegalArgumentException("malformed state key in change " + i + " at offset " + pos);
            }
            pos += 4 + keyLength;
            int oldField = present(changes, pos) ? pos + 1 : -1;
            pos = oldField < 0 ? pos + 1 : skip(changes, oldField);
            int newField = present(changes, pos) ? pos + 1 : -1;
            pos = newField < 0 ? pos + 1 : skip(changes, newField);
            if (oldField >= 0) {
                delta.removeEncoded(changes, keyField, oldField);
            }
            if (newField >= 0) {
                delta.addEncoded(changes, keyField, newField);
            }
        }
        if (pos != changes.length) {
            throw new IllegalArgumentException("non-canonical encoding: " + (changes.length - pos) + " trailing bytes");
        }
        return delta;
    }

    private static boolean present(byte[] b, int at) {
        if (at >= b.length) {
            throw new IllegalArgumentException("truncated change list at offset " + at);
        }
        int flag = b[at];
        if (flag != 0 && flag != 1) {
            throw new IllegalArgumentException("non-canonical boolean " + flag + " at offset " + at);
        }
        return flag == 1;
    }

    /** The offset after the length-prefixed field at {@code at}. */
    private static int skip(byte[] b, int at) {
        int length = i32(b, at);
        if (length < 0 || length > b.length - at - 4) {
            throw new IllegalArgumentException("truncated value at offset " + at);
        }
        return at + 4 + length;
    }

    private static int i32(byte[] b, int at) {
        if (at < 0 || at > b.length - 4) {
            throw new IllegalArgumentException("truncated change list at offset " + at);
        }
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
