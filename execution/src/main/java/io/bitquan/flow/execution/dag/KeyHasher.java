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
        // Eight stores written out, not a loop (round 15): JDK 17's C2 (17.0.15 and 17.0.21) lost
        // the stores of the loop `for i < 8: LE_INT.set(out, 4 * i, words[i])` into this fresh
        // array once it compiled NativePrediction.of with this method, KeyBinding and HashMap.get
        // inlined (round 14's AccountKeys shape): every binding hash came out as 32 zero bytes under
        // the Parallel and Serial collectors, and the VM rejected the block. Not C1, not JDK 25;
        // -XX:-UseLoopPredicate or -XX:LoopUnrollLimit=0 avoid it. Stand-alone reproducer:
        // docs/probes/C2ZeroHash.java; gate: WarmKeyBindingTest (run under all three collectors).
        int[] w = words;
        byte[] out = new byte[Blake3.HASH_BYTES];
        LE_INT.set(out, 0, w[0]);
        LE_INT.set(out, 4, w[1]);
        LE_INT.set(out, 8, w[2]);
        LE_INT.set(out, 12, w[3]);
        LE_INT.set(out, 16, w[4]);
        LE_INT.set(out, 20, w[5]);
        LE_INT.set(out, 24, w[6]);
        LE_INT.set(out, 28, w[7]);
        return out;
    }
}
