package io.bitquan.flow.execution.vm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * A chain runner's memory of public keys it has already hashed for a key binding check (a
 * transfer's or a contract call's sender, a spend's input lock: {@code StateAccess.publicKeyHash},
 * BLAKE3 of the presented key). Round 18 (issue 12, branch job18): in a warm ML-DSA job that hash
 * of 1,952-byte keys was 55 of the block executor's 91 JFR samples (60 %), on the executor's
 * serial thread, for a chain whose transactions reuse a few thousand keys block after block
 * (accounts send again, outputs are locked to the same keys). Held here, a key seen before costs
 * one byte-for-byte compare instead of a BLAKE3 hash. Every runner that replays a chain holds one
 * ({@link ReplayVm}, round 19), so the job and its standalone reference pay for key hashes alike.
 *
 * <p>Never a wrong hash: an entry is handed only for bytes equal to the bytes it was made from
 * (compared in full, never assumed from the slot), so the rules see exactly the hash they would
 * have made; only how often BLAKE3 runs changes, and that feeds nothing. A slot is a direct-mapped
 * cell chosen by the key's first 8 bytes and its length; a new key overwrites whatever the cell
 * held (a miss later, never an error). Bounded: {@link #SLOTS} cells, at most one key and one hash each
 * (~16 MB at ML-DSA-65's 1,952-byte keys if every cell is taken).
 *
 * <p>Shared by the engine's worker threads: cells are read and replaced through an
 * {@link AtomicReferenceArray} (volatile semantics), an entry is immutable once published, and two
 * workers that miss on one key at once both hash it and store equal entries.
 */
public final class KeyHashCache {
    /** Cells: a power of two; 8,192 keeps the chance that two of 1,000 live keys share a cell at ~6 % each. */
    static final int SLOTS = 8192;

    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** One hashed key: the key's bytes (a private copy) and its hash (never modified: the rules only compare it). */
    private record Entry(byte[] key, byte[] hash) {}

    private final AtomicReferenceArray<Entry> cells = new AtomicReferenceArray<>(SLOTS);
    private final Function<byte[], byte[]> hasher;

    /** @param hasher the hash a miss makes (the view's own {@code publicKeyHash}, or BLAKE3 in tests) */
    KeyHashCache(Function<byte[], byte[]> hasher) {
        this.hasher = hasher;
    }

    public KeyHashCache() {
        this(null);
    }

    /**
     * The VM with this cache in front of its views' key hashing: each call gets a {@link KeyHashView}
     * over the engine's view, which hands the held hash of equal bytes and otherwise asks the
     * engine's view (so the predicted schedule's own bound hashes are still used on a miss).
     */
    public TransactionVm around(TransactionVm vm) {
        return (tx, block, state) -> vm.execute(tx, block, new KeyHashView(state, this));
    }

    /** The hash of {@code publicKey}: held if these very bytes were hashed before, else {@code miss}'s, then held. */
    byte[] hash(byte[] publicKey, Function<byte[], byte[]> miss) {
        int cell = cell(publicKey);
        Entry held = cells.get(cell);
        if (held != null && Arrays.equals(held.key, publicKey)) {
            return held.hash;
        }
        byte[] hash = (hasher != null ? hasher : miss).apply(publicKey);
        cells.set(cell, new Entry(publicKey.clone(), hash));
        return hash;
    }

    /** The cell of a key: its first 8 bytes (public keys are uniformly random there) mixed with its length. */
    static int cell(byte[] key) {
        long h = key.length >= 8 ? (long) LONG_LE.get(key, 0) : Arrays.hashCode(key);
        h = (h ^ key.length) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 51) & (SLOTS - 1); // the product's top 13 bits
    }
}
