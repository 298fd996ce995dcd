package io.bitquan.flow.model.crypto;

import org.bouncycastle.crypto.digests.Blake3Digest;

/** BLAKE3 (BouncyCastle): 32-byte hashes and extendable output. Thread-safe (no shared state). */
public final class Blake3 {
    public static final int HASH_BYTES = 32;

    private Blake3() {}

    /**
     * BLAKE3-256. Inputs of one chunk (most keys, ids and encodings) take the tuned {@link Blake3Xof},
     * longer ones (ML-DSA transactions) the {@link Blake3Hasher} on the same compression function.
     */
    public static byte[] hash(byte[] input) {
        return input.length <= Blake3Xof.CHUNK_LEN ? Blake3Xof.xof(input, HASH_BYTES) : Blake3Hasher.hash(input);
    }

    /** Hashes the concatenation of the parts. */
    public static byte[] hash(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        if (length <= Blake3Xof.CHUNK_LEN) {
            byte[] joined = new byte[length];
            int offset = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, joined, offset, part.length);
                offset += part.length;
            }
            return Blake3Xof.xof(joined, HASH_BYTES);
        }
        Blake3Hasher hasher = new Blake3Hasher();
        for (byte[] part : parts) {
            hasher.update(part);
        }
        return hasher.digest();
    }

    /** BLAKE3 extendable output of {@code length} bytes (BouncyCastle's general digest). */
    public static byte[] xof(byte[] input, int length) {
        Blake3Digest digest = new Blake3Digest(HASH_BYTES * 8);
        digest.update(input, 0, input.length);
        byte[] out = new byte[length];
        digest.doFinal(out, 0, length);
        return out;
    }
}
