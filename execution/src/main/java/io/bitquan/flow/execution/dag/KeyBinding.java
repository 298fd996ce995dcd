package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.crypto.Blake3;
import java.util.Arrays;

/**
 * A presented public key and its BLAKE3 hash, computed in the prediction pass (issue 11, round
 * 10) for account transfers and listed contract calls (not for spends: their run is already
 * even, and binding their inputs was measured slower): the key binding check hashes the sender's
 * public key, ~14 % of a transfer block's one-thread predicted run, and the prediction
 * pass is where the work is split evenly over the workers, while the run is lopsided (the
 * linker's worker runs most transactions). The hash is made here from the bytes kept here, in
 * the constructor, so a binding whose hash belongs to other bytes cannot exist; the view hands
 * it to the rules only for a key equal to {@link #publicKey} byte for byte
 * ({@link #hashOf}). Held by one block's prediction records and dropped with them: nothing is
 * memoized on the transactions, so every run (and the sequential reference) pays the hash once.
 */
final class KeyBinding {
    private final byte[] publicKey;
    private final byte[] hash;

    /** @param publicKey a copy of the presented key's bytes, owned by this binding from now on (never handed out) */
    KeyBinding(byte[] publicKey) {
        this.publicKey = publicKey;
        this.hash = Blake3.hash(publicKey);
    }

    /** As {@link #KeyBinding(byte[])}, hashed with the prediction chunk's reused hash state (the same hash). */
    KeyBinding(byte[] publicKey, KeyHasher hasher) {
        this.publicKey = publicKey;
        this.hash = hasher.hash(publicKey);
    }

    /** The hash if {@code presented} is exactly this binding's public key, else null (then the caller hashes). */
    byte[] hashOf(byte[] presented) {
        return Arrays.equals(publicKey, presented) ? hash : null;
    }
}
