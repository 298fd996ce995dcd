package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.Blake3Xof;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * BLAKE3-256 of the public keys the prediction pass binds ({@link KeyBinding}), with the hash
 * state reused across the keys of one prediction chunk: {@link Blake3#hash} allocates a fresh
 * root node and output block per call (~520 bytes, the largest allocation of a transfer's
 * prediction, round 10), here only the 32-byte result is new. The same value as
 * {@link Blake3#hash} for every input: one-chunk inputs (every Ed25519 key) take BLAKE3's root
 * node directly, as {@link Blake3#hash} does; longer ones (ML-DSA keys) are handed to it.
 * One per prediction chunk; not thread-safe.
 */
final class KeyHasher {
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private final Blake3Xof.Root root = new Blake3Xof.Root();
    private final int[] words = new int[16];

    byte[] hash(byte[] input) {
        if (input.length > Blake3Xof.CHUNK_LEN) {
            return Blake3.hash(input);
        }
        root.absorb(input, 0, input.length).output(0, words, 0);
        byte[] out = new byte[Blake3.HASH_BYTES];
        for (int i = 0; i < Blake3.HASH_BYTES / 4; i++) {
            LE_INT.set(out, 4 * i, words[i]);
        }
        return out;
    }
}
