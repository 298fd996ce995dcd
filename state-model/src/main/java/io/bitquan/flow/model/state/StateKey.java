package io.bitquan.flow.model.state;

import io.bitquan.flow.model.codec.Bytes;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A typed state key held as its one canonical encoding: a kind tag followed by fixed-width
 * fields. Equality, hashing and ordering are all over those bytes, so two keys that mean the
 * same thing can never compare different, and sorted output is the same on every machine.
 *
 * <pre>
 *   UTXO     0x01 | txId(32) | index(u32 BE)
 *   ACCOUNT  0x02 | address(32)
 *   CODE     0x03 | contract address(32)
 *   STORAGE  0x04 | contract address(32) | slot(32)
 * </pre>
 */
public final class StateKey implements Comparable<StateKey> {
    public static final int ADDRESS_BYTES = 32;

    /** Key kinds, with the tag byte that starts the encoding. */
    public enum Kind {
        UTXO(0x01, 1 + 32 + 4),
        ACCOUNT(0x02, 1 + 32),
        CODE(0x03, 1 + 32),
        STORAGE(0x04, 1 + 32 + 32);

        final int tag;
        final int length;

        Kind(int tag, int length) {
            this.tag = tag;
            this.length = length;
        }
    }

    /** Kind.values() clones its array on every call; kinds are looked up per key read. */
    private static final Kind[] KINDS = Kind.values();

    private static final java.lang.invoke.VarHandle LONG_BE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    private final byte[] encoded;
    /**
     * {@code Arrays.hashCode(encoded)}, computed on first use (0 = not yet; racy but idempotent,
     * as {@code String}'s): a key the VM builds only to read or write through a view that finds it
     * by equality (the predicted schedule) is never hashed, and hashing is a large share of building
     * a key. The value is unchanged from the eager version: commitment buckets depend on it.
     */
    private int hash;
    /**
     * The first 8 encoded bytes as an unsigned big-endian long: decides almost every comparison
     * (tag + 7 bytes of a hash-derived id) without touching the arrays. Sorting a block's write
     * set is otherwise a large share of executing it.
     */
    private final long prefix;

    private StateKey(byte[] encoded) {
        this.encoded = encoded;
        this.prefix = (long) LONG_BE.get(encoded, 0); // every kind is longer than 8 bytes
    }

    public static StateKey utxo(byte[] txId, int index) {
        requireLength(txId, 32, "txId");
        byte[] e = new byte[Kind.UTXO.length];
        e[0] = (byte) Kind.UTXO.tag;
        System.arraycopy(txId, 0, e, 1, 32);
        e[33] = (byte) (index >>> 24);
        e[34] = (byte) (index >>> 16);
        e[35] = (byte) (index >>> 8);
        e[36] = (byte) index;
        return new StateKey(e);
    }

    public static StateKey account(byte[] address) {
        return tagged(Kind.ACCOUNT, address);
    }

    /**
     * The account key of the address in {@code address}'s remaining bytes (exactly 32), read in
     * place: no intermediate copy, which the per-transaction paths (access prediction, the VM)
     * would otherwise pay per key. The buffer's position is not moved.
     */
    public static StateKey account(ByteBuffer address) {
        requireLength(address.remaining(), ADDRESS_BYTES, "address");
        byte[] e = new byte[Kind.ACCOUNT.length];
        e[0] = (byte) Kind.ACCOUNT.tag;
        address.get(address.position(), e, 1, ADDRESS_BYTES);
        return new StateKey(e);
    }

    /** {@link #utxo(byte[], int)} with the txId read in place from {@code txId}'s remaining bytes (exactly 32). */
    public static StateKey utxo(ByteBuffer txId, int index) {
        requireLength(txId.remaining(), 32, "txId");
        byte[] e = new byte[Kind.UTXO.length];
        e[0] = (byte) Kind.UTXO.tag;
        txId.get(txId.position(), e, 1, 32);
        e[33] = (byte) (index >>> 24);
        e[34] = (byte) (index >>> 16);
        e[35] = (byte) (index >>> 8);
        e[36] = (byte) index;
        return new StateKey(e);
    }

    public static StateKey code(byte[] contract) {
        return tagged(Kind.CODE, contract);
    }

    public static StateKey storage(byte[] contract, byte[] slot) {
        requireLength(contract, ADDRESS_BYTES, "contract");
        requireLength(slot, 32, "slot");
        byte[] e = new byte[Kind.STORAGE.length];
        e[0] = (byte) Kind.STORAGE.tag;
        System.arraycopy(contract, 0, e, 1, 32);
        System.arraycopy(slot, 0, e, 33, 32);
        return new StateKey(e);
    }

    private static StateKey tagged(Kind kind, byte[] address) {
        requireLength(address, ADDRESS_BYTES, "address");
        byte[] e = new byte[kind.length];
        e[0] = (byte) kind.tag;
        System.arraycopy(address, 0, e, 1, 32);
        return new StateKey(e);
    }

    /** Parses a canonical encoding; anything else (unknown tag, wrong length) is rejected. */
    public static StateKey decode(byte[] encoded) {
        if (encoded.length == 0) {
            throw new IllegalArgumentException("empty state key");
        }
        for (Kind kind : KINDS) {
            if ((encoded[0] & 0xFF) == kind.tag) {
                if (encoded.length != kind.length) {
                    throw new IllegalArgumentException(
                            kind + " key must be " + kind.length + " bytes, got " + encoded.length);
                }
                return new StateKey(encoded.clone());
            }
        }
        throw new IllegalArgumentException("unknown state key tag " + (encoded[0] & 0xFF));
    }

    /**
     * Length of the canonical encoding that starts with {@code tag}, or -1 for an unknown tag (lets a
     * reader of concatenated keys find where one ends).
     */
    public static int encodedLength(int tag) {
        for (Kind kind : KINDS) {
            if (kind.tag == tag) {
                return kind.length;
            }
        }
        return -1;
    }

    private static void requireLength(byte[] bytes, int length, String what) {
        requireLength(bytes.length, length, what);
    }

    private static void requireLength(int actual, int length, String what) {
        if (actual != length) {
            throw new IllegalArgumentException(what + " must be " + length + " bytes, got " + actual);
        }
    }

    public Kind kind() {
        int tag = encoded[0] & 0xFF;
        return KINDS[tag - 1];
    }

    /** The canonical encoding (a copy). */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** The canonical encoding without copying; callers must not modify it. */
    public byte[] encodedUnsafe() {
        return encoded;
    }

    /** The 32-byte address (or txId for UTXO keys) right after the tag. */
    public byte[] owner() {
        return Arrays.copyOfRange(encoded, 1, 33);
    }

    /**
     * The encoding's first 8 bytes, big-endian: unsigned order of prefixes is the keys' order as
     * far as it goes (for sorting many keys by primitives first).
     */
    public long prefix() {
        return prefix;
    }

    /**
     * Unsigned lexicographic order of the encodings (the prefix is a shortcut for the same order).
     * Equal prefixes mean one kind (the tag is the first byte), so one length: the rest compares
     * eight bytes at a time as big-endian longs (the last word overlapping the one before it, whose
     * bytes are then equal), not byte by byte. A block's created outputs share their first 33 bytes
     * (tag and txId), so the sorts and merge walks over them reach the index at the end.
     */
    @Override
    public int compareTo(StateKey other) {
        int c = Long.compareUnsigned(prefix, other.prefix);
        if (c != 0) {
            return c;
        }
        byte[] a = encoded;
        byte[] b = other.encoded;
        int n = a.length;
        if (n != b.length) {
            return Bytes.compare(a, b); // not two valid keys of one kind; never on a canonical key
        }
        int off = 8;
        for (; off + 8 <= n; off += 8) {
            long x = (long) LONG_BE.get(a, off);
            long y = (long) LONG_BE.get(b, off);
            if (x != y) {
                return Long.compareUnsigned(x, y);
            }
        }
        if (off < n) {
            long x = (long) LONG_BE.get(a, n - 8);
            long y = (long) LONG_BE.get(b, n - 8);
            return Long.compareUnsigned(x, y);
        }
        return 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StateKey other)) {
            return false;
        }
        // Compare cached hashes only when both exist; otherwise the (vectorized) byte compare
        // is cheaper than hashing either side.
        int h = hash;
        int oh = other.hash;
        return (h == 0 || oh == 0 || h == oh) && prefix == other.prefix && Arrays.equals(encoded, other.encoded);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = bytesHash(encoded);
            hash = h;
        }
        return h;
    }

    /**
     * Exactly {@code Arrays.hashCode(bytes)} (31-polynomial over the signed bytes, mod 2^32),
     * four bytes per step: the multiplications by powers of 31 are independent of each other,
     * so the CPU overlaps them instead of waiting on one serial multiply-add per byte.
     */
    static int bytesHash(byte[] bytes) {
        int h = 1;
        int i = 0;
        int n = bytes.length;
        for (; i + 3 < n; i += 4) {
            h = 923521 * h + 29791 * bytes[i] + 961 * bytes[i + 1] + 31 * bytes[i + 2] + bytes[i + 3];
        }
        for (; i < n; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + Bytes.hex(encoded).substring(2, 18);
    }
}
