package io.bitquan.flow.model.crypto;

import org.bouncycastle.crypto.digests.Blake3Digest;

/** BLAKE3 (BouncyCastle): 32-byte hashes and extendable output. Thread-safe (no shared state). */
public final class Blake3 {
    public static final int HASH_BYTES = 32;

    private Blake3() {}

    public static byte[] hash(byte[] input) {
        return xof(input, HASH_BYTES);
    }

    /** Hashes the concatenation of the parts without building it. */
    public static byte[] hash(byte[]... parts) {
        Blake3Digest digest = new Blake3Digest(HASH_BYTES * 8);
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[HASH_BYTES];
        digest.doFinal(out, 0);
        return out;
    }

    /** BLAKE3 extendable output of {@code length} bytes. */
    public static byte[] xof(byte[] input, int length) {
        Blake3Digest digest = new Blake3Digest(HASH_BYTES * 8);
        digest.update(input, 0, input.length);
        byte[] out = new byte[length];
        digest.doFinal(out, 0, length);
        return out;
    }
}
