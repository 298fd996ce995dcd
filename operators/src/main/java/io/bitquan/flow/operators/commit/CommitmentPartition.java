package io.bitquan.flow.operators.commit;

import io.bitquan.flow.model.commit.ElementCache;
import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.operators.model.ChangeCodec;
import io.bitquan.flow.operators.model.CommitPart;
import org.apache.flink.api.common.functions.OpenContext;
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
 *
 * <p>Each subtask keeps the element hashes of the account and storage entries it added last
 * ({@link ElementCache}, {@link #DEFAULT_CACHED_ELEMENTS}): the next change of such a key removes
 * exactly that entry, and takes its hash from there instead of computing it again. A cache only:
 * a miss (a restarted job, an evicted or never-seen entry) computes the same words.
 */
public final class CommitmentPartition extends RichMapFunction<CommitPart, CommitPart> {
    private static final long serialVersionUID = 1L;

    /**
     * Element hashes kept per subtask by default ({@link ElementCache}: 2 KiB each, so 16 MiB): an
     * account's or a storage slot's next change removes the entry its last change added, and the
     * cache hands that element hash back instead of 32 BLAKE3 compressions. UTXO entries are
     * written once and spent much later, code is written once: neither is kept.
     */
    public static final int DEFAULT_CACHED_ELEMENTS = 8192;

    private static final int ACCOUNT_TAG = StateKey.account(new byte[StateKey.ADDRESS_BYTES]).encodedUnsafe()[0] & 0xFF;
    private static final int STORAGE_TAG =
            StateKey.storage(new byte[StateKey.ADDRESS_BYTES], new byte[32]).encodedUnsafe()[0] & 0xFF;

    private final int cachedElements;
    /** This subtask's element hashes (transient: a restored or rescaled job starts with none, which changes no result). */
    private transient ElementCache cache;

    public CommitmentPartition() {
        this(DEFAULT_CACHED_ELEMENTS);
    }

    /** @param cachedElements element hashes kept ({@link ElementCache}); 0: none */
    public CommitmentPartition(int cachedElements) {
        if (cachedElements < 0) {
            throw new IllegalArgumentException("cached elements must be >= 0, got " + cachedElements);
        }
        this.cachedElements = cachedElements;
    }

    @Override
    public void open(OpenContext context) {
        cache = cachedElements == 0 ? null : new ElementCache(cachedElements);
        if (cache != null) {
            // how often a removal found its element hash (on a chain with many accounts the rate
            // depends on how soon they change again: watch it before resizing the cache)
            ElementCache c = cache;
            var group = getRuntimeContext().getMetricGroup();
            group.gauge("elementCacheHits", (org.apache.flink.metrics.Gauge<Long>) c::hits);
            group.gauge("elementCacheMisses", (org.apache.flink.metrics.Gauge<Long>) c::misses);
        }
    }

    @Override
    public CommitPart map(CommitPart keys) {
        return delta(keys, cache);
    }

    /** This subtask's element cache, or null (tests). */
    ElementCache cache() {
        return cache;
    }

    public static CommitPart delta(CommitPart keys) {
        return delta(keys, null);
    }

    /** {@link #delta(CommitPart)}, with the element hashes of accounts and storage slots taken from and kept in {@code cache} (null: none). */
    static CommitPart delta(CommitPart keys, ElementCache cache) {
        if (keys.kind != CommitPart.Kind.KEYS) {
            throw new IllegalArgumentException("expected KEYS, got " + keys.kind + " for seq " + keys.seq);
        }
        return part(keys, ofEncoded(keys.changes, cache));
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
    static LtHash ofEncoded(byte[] changes, ElementCache cache) {
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
            int tag = changes[keyField + 4] & 0xFF;
            ElementCache kept = tag == ACCOUNT_TAG || tag == STORAGE_TAG ? cache : null;
            if (oldField >= 0) {
                delta.removeEncoded(changes, keyField, oldField, kept);
            }
            if (newField >= 0) {
                delta.addEncoded(changes, keyField, newField, kept);
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
