package io.bitquan.flow.model.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash for hash tables whose keys an
 * attacker chooses. Without the 128-bit key nobody can aim inputs at one bucket, which a public
 * hash (Java's 31-polynomial, {@code Arrays.hashCode}) allows: many equal-hash keys turn a table
 * lookup into a scan. For table buckets only, never for anything consensus hashes. Tested against
 * the reference implementation's vectors. Thread-safe (immutable).
 */
public final class SipHash {
    private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long k0;
    private final long k1;

    /** The key as two little-endian 64-bit words (k0 = key bytes 0-7, k1 = bytes 8-15). */
    public SipHash(long k0, long k1) {
        this.k0 = k0;
        this.k1 = k1;
    }

    /** SipHash-2-4 of {@code bytes[offset, offset + length)}. */
    public long hash(byte[] bytes, int offset, int length) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int end = offset + (length & ~7);
        int rounds = 2;
        long m = 0;
        for (int i = offset; ; i += 8) {
            if (i < end) {
                m = (long) LE_LONG.get(bytes, i);
            } else {
                // the last block: the remaining 0-7 bytes, the length's low byte on top
                m = ((long) length) << 56;
                for (int j = 0; j < (length & 7); j++) {
                    m |= (bytes[end + j] & 0xFFL) << (8 * j);
                }
            }
            v3 ^= m;
            for (int r = 0; r < rounds; r++) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            v0 ^= m;
            if (i >= end) {
                break;
            }
        }
        v2 ^= 0xFF;
        for (int r = 0; r < 4; r++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
