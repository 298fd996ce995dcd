package io.bitquan.flow.model.commit;

import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.Blake3XofReference;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;

/**
 * The first LtHash element mixing (a fresh element buffer and 512-word XOF array per call, then
 * u16 lane additions on a short array), kept unchanged as the baseline that {@code bench lthash}
 * measures {@link LtHash} against and the oracle of the equivalence property. Not used on any
 * hashing path. Not thread-safe; one instance per owner.
 */
public final class LtHashReference {
    private final short[] lanes = new short[LtHash.LANES];

    private static byte[] elementInput(StateKey key, StateValue value) {
        byte[] k = key.encodedUnsafe();
        byte[] v = value.encode();
        return new CanonicalWriter(k.length + v.length + 8).bytes(k).bytes(v).toByteArray();
    }

    /** The 2048-byte element hash of one entry. */
    public static byte[] elementHash(StateKey key, StateValue value) {
        return Blake3XofReference.xof(elementInput(key, value), LtHash.BYTES);
    }

    public LtHashReference add(StateKey key, StateValue value) {
        mix(key, value, 1);
        return this;
    }

    public LtHashReference remove(StateKey key, StateValue value) {
        mix(key, value, -1);
        return this;
    }

    private void mix(StateKey key, StateValue value, int sign) {
        int[] words = new int[LtHash.LANES / 2];
        Blake3XofReference.xofWords(elementInput(key, value), words);
        for (int i = 0; i < words.length; i++) {
            lanes[2 * i] += (short) (sign * (words[i] & 0xFFFF));
            lanes[2 * i + 1] += (short) (sign * (words[i] >>> 16));
        }
    }

    /** The lattice as 2048 little-endian bytes (the format of {@link LtHash#toBytes()}). */
    public byte[] toBytes() {
        byte[] out = new byte[LtHash.BYTES];
        for (int i = 0; i < LtHash.LANES; i++) {
            out[2 * i] = (byte) lanes[i];
            out[2 * i + 1] = (byte) (lanes[i] >>> 8);
        }
        return out;
    }
}
