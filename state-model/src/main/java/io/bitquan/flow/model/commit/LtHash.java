package io.bitquan.flow.model.commit;

import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.Blake3Xof;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.util.Arrays;

/**
 * Lattice hash over the multiset of (key, value) state entries, as in Solana's accounts lattice
 * hash (SIMD-0215): each entry hashes with the BLAKE3 XOF to 2048 bytes = 1024 little-endian u16
 * lanes ({@link Blake3Xof}); the lattice is the lane-wise wrapping sum over all entries. Adding and removing entries
 * commute, so partitions may hash in parallel and a committer just adds their deltas.
 * The state root is BLAKE3 of the 2048 lattice bytes.
 *
 * <p>Element encoding (hashed): u32 key length | key bytes | u32 value length | value bytes.
 * Not thread-safe; one instance per owner.
 */
public final class LtHash {
    public static final int LANES = 1024;
    public static final int BYTES = LANES * 2;

    private final short[] lanes;

    public LtHash() {
        this.lanes = new short[LANES];
    }

    private LtHash(short[] lanes) {
        this.lanes = lanes;
    }

    private static byte[] elementInput(StateKey key, StateValue value) {
        byte[] k = key.encodedUnsafe();
        byte[] v = value.encode();
        return new CanonicalWriter(k.length + v.length + 8).bytes(k).bytes(v).toByteArray();
    }

    /** The 2048-byte element hash of one entry. */
    public static byte[] elementHash(StateKey key, StateValue value) {
        return Blake3Xof.xof(elementInput(key, value), BYTES);
    }

    public LtHash add(StateKey key, StateValue value) {
        mix(key, value, 1);
        return this;
    }

    public LtHash remove(StateKey key, StateValue value) {
        mix(key, value, -1);
        return this;
    }

    /** Removes the old entry and adds the new one (absent = nothing). */
    public LtHash apply(StateChange change) {
        if (change.oldValue() != null) {
            remove(change.key(), change.oldValue());
        }
        if (change.newValue() != null) {
            add(change.key(), change.newValue());
        }
        return this;
    }

    public LtHash add(LtHash other) {
        for (int i = 0; i < LANES; i++) {
            lanes[i] += other.lanes[i];
        }
        return this;
    }

    public LtHash subtract(LtHash other) {
        for (int i = 0; i < LANES; i++) {
            lanes[i] -= other.lanes[i];
        }
        return this;
    }

    /** Adds (sign 1) or subtracts (sign -1) the element: each XOF word holds two u16 lanes. */
    private void mix(StateKey key, StateValue value, int sign) {
        int[] words = new int[LANES / 2];
        Blake3Xof.xofWords(elementInput(key, value), words);
        for (int i = 0; i < words.length; i++) {
            lanes[2 * i] += (short) (sign * (words[i] & 0xFFFF));
            lanes[2 * i + 1] += (short) (sign * (words[i] >>> 16));
        }
    }

    /** The lattice as 2048 little-endian bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        for (int i = 0; i < LANES; i++) {
            out[2 * i] = (byte) lanes[i];
            out[2 * i + 1] = (byte) (lanes[i] >>> 8);
        }
        return out;
    }

    public static LtHash fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("lattice must be " + BYTES + " bytes, got " + bytes.length);
        }
        short[] lanes = new short[LANES];
        for (int i = 0; i < LANES; i++) {
            lanes[i] = (short) ((bytes[2 * i] & 0xFF) | ((bytes[2 * i + 1] & 0xFF) << 8));
        }
        return new LtHash(lanes);
    }

    /** The state root: BLAKE3 of the lattice bytes. */
    public byte[] root() {
        return Blake3.hash(toBytes());
    }

    public LtHash copy() {
        return new LtHash(lanes.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LtHash other && Arrays.equals(lanes, other.lanes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lanes);
    }
}
