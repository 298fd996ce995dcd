package io.bitquan.flow.model.commit;

import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.Blake3Xof;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Lattice hash over the multiset of (key, value) state entries, as in Solana's accounts lattice
 * hash (SIMD-0215): each entry hashes with the BLAKE3 XOF to 2048 bytes = 1024 little-endian u16
 * lanes ({@link Blake3Xof}); the lattice is the lane-wise wrapping sum over all entries. Adding and removing entries
 * commute, so partitions may hash in parallel and a committer just adds their deltas.
 * The state root is BLAKE3 of the 2048 lattice bytes.
 *
 * <p>Element encoding (hashed): u32 key length | key bytes | u32 value length | value bytes.
 *
 * <p>As built (issue 12): the lattice is held as 512 int words, two u16 lanes per word (lane 2i in
 * the low half), which is how the XOF emits them; an element's 32 output blocks are added into the
 * words as they are produced (packed-lane SWAR arithmetic, no carry across lanes), from an element
 * buffer and XOF root node owned by the instance, so a mix allocates only the value's encoding.
 * {@link LtHashReference} is the first implementation, kept as the measured baseline.
 * Not thread-safe; one instance per owner.
 */
public final class LtHash {
    public static final int LANES = 1024;
    public static final int BYTES = LANES * 2;

    private static final int WORDS = LANES / 2;
    private static final int LOW15 = 0x7FFF7FFF;
    private static final int HIGH = 0x80008000;
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    /** Two u16 lanes per word: lane 2i is the low half of word i. */
    private final int[] words;
    // Scratch for mix: created on first use, so lattices that are only summed stay small.
    private byte[] element;
    private Blake3Xof.Root root;
    private int[] block;

    public LtHash() {
        this.words = new int[WORDS];
    }

    private LtHash(int[] words) {
        this.words = words;
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
        mix(key, value, true);
        return this;
    }

    public LtHash remove(StateKey key, StateValue value) {
        mix(key, value, false);
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
        for (int i = 0; i < WORDS; i++) {
            words[i] = addLanes(words[i], other.words[i]);
        }
        return this;
    }

    public LtHash subtract(LtHash other) {
        for (int i = 0; i < WORDS; i++) {
            words[i] = subtractLanes(words[i], other.words[i]);
        }
        return this;
    }

    /** Lane-wise wrapping u16 sum of two packed words: the low 15 bits add, the top bits xor in. */
    private static int addLanes(int a, int b) {
        return ((a & LOW15) + (b & LOW15)) ^ ((a ^ b) & HIGH);
    }

    /** Lane-wise wrapping u16 difference: each lane's top bit is set first so no borrow crosses lanes. */
    private static int subtractLanes(int a, int b) {
        return ((a | HIGH) - (b & LOW15)) ^ ((a ^ ~b) & HIGH);
    }

    /** Adds or subtracts the element, one 64-byte XOF block (16 words, 32 lanes) at a time. */
    private void mix(StateKey key, StateValue value, boolean add) {
        byte[] k = key.encodedUnsafe();
        byte[] v = value.encode();
        int length = 8 + k.length + v.length;
        if (length > Blake3Xof.CHUNK_LEN) {
            // Rare (large contract code): the general digest, then the same lane arithmetic.
            int[] xof = new int[WORDS];
            Blake3Xof.xofWords(elementInput(key, value), xof);
            mixWords(xof, add);
            return;
        }
        byte[] e = element();
        BE_INT.set(e, 0, k.length);
        System.arraycopy(k, 0, e, 4, k.length);
        BE_INT.set(e, 4 + k.length, v.length);
        System.arraycopy(v, 0, e, 8 + k.length, v.length);
        mixElement(length, add);
    }

    /**
     * {@link #add(StateKey, StateValue)} of an entry given as it sits in an encoding: {@code keyField}
     * and {@code valueField} are where its key's and its value's canonical bytes start in {@code src},
     * each after its u32 big-endian length (as {@code CanonicalWriter.bytes} writes them: the element
     * encoding's own two halves). The commitment partitions hash the executor's encoded changes this
     * way, without decoding each value into an object and encoding it again. The bytes must be the
     * canonical ones ({@code StateKey.encodedUnsafe()}, {@code StateValue.encode()}): what the
     * executor's state holds and ships.
     */
    public LtHash addEncoded(byte[] src, int keyField, int valueField) {
        return addEncoded(src, keyField, valueField, null);
    }

    /** {@link #remove(StateKey, StateValue)} of an entry given as in {@link #addEncoded}. */
    public LtHash removeEncoded(byte[] src, int keyField, int valueField) {
        return removeEncoded(src, keyField, valueField, null);
    }

    /**
     * {@link #addEncoded(byte[], int, int)}, keeping the element's hash in {@code cache} (null: no
     * cache) for the entry's removal later ({@link #removeEncoded(byte[], int, int, ElementCache)}).
     * Worth it for entries that are replaced soon (accounts, storage slots), not for write-once ones.
     */
    public LtHash addEncoded(byte[] src, int keyField, int valueField, ElementCache cache) {
        mixEncoded(src, keyField, valueField, true, cache);
        return this;
    }

    /** {@link #removeEncoded(byte[], int, int)}, taking the element's hash from {@code cache} when it holds it. */
    public LtHash removeEncoded(byte[] src, int keyField, int valueField, ElementCache cache) {
        mixEncoded(src, keyField, valueField, false, cache);
        return this;
    }

    private void mixEncoded(byte[] src, int keyField, int valueField, boolean add, ElementCache cache) {
        int keyLength = field(src, keyField);
        int valueLength = field(src, valueField);
        int length = 8 + keyLength + valueLength;
        if (length > Blake3Xof.CHUNK_LEN) {
            byte[] input = new byte[length];
            System.arraycopy(src, keyField, input, 0, 4 + keyLength);
            System.arraycopy(src, valueField, input, 4 + keyLength, 4 + valueLength);
            int[] xof = new int[WORDS];
            Blake3Xof.xofWords(input, xof);
            mixWords(xof, add);
            return;
        }
        byte[] e = element();
        System.arraycopy(src, keyField, e, 0, 4 + keyLength);
        System.arraycopy(src, valueField, e, 4 + keyLength, 4 + valueLength);
        if (cache == null) {
            mixElement(length, add);
        } else if (add) {
            // the whole element hash, kept for this entry's removal (the next change of its key)
            int[] xof = cache.spare(WORDS); // all 512 words written below
            root.absorb(e, 0, length);
            for (int t = 0; t < WORDS / 16; t++) {
                root.output(t, xof, 16 * t);
            }
            mixWords(xof, true);
            cache.put(e, length, xof);
        } else {
            int[] xof = cache.take(e, length);
            if (xof != null) {
                mixWords(xof, false);
                cache.recycle(xof);
            } else {
                mixElement(length, false);
            }
        }
    }

    /** The length of the length-prefixed field at {@code at}, checked to lie inside {@code src}. */
    private static int field(byte[] src, int at) {
        if (at < 0 || at > src.length - 4) {
            throw new IllegalArgumentException("no length prefix at offset " + at + " of " + src.length);
        }
        int length = (int) BE_INT.get(src, at);
        if (length < 0 || length > src.length - at - 4) {
            throw new IllegalArgumentException("field of " + length + " bytes at offset " + at + " overruns " + src.length);
        }
        return length;
    }

    private byte[] element() {
        if (root == null) {
            element = new byte[Blake3Xof.CHUNK_LEN];
            root = new Blake3Xof.Root();
            block = new int[16];
        }
        return element;
    }

    /** Adds or subtracts the element in {@link #element}'s first {@code length} bytes, one 64-byte XOF block (16 words, 32 lanes) at a time. */
    private void mixElement(int length, boolean add) {
        root.absorb(element, 0, length);
        for (int t = 0; t < WORDS / 16; t++) {
            root.output(t, block, 0);
            int base = 16 * t;
            if (add) {
                for (int i = 0; i < 16; i++) {
                    words[base + i] = addLanes(words[base + i], block[i]);
                }
            } else {
                for (int i = 0; i < 16; i++) {
                    words[base + i] = subtractLanes(words[base + i], block[i]);
                }
            }
        }
    }

    private void mixWords(int[] xof, boolean add) {
        for (int i = 0; i < WORDS; i++) {
            words[i] = add ? addLanes(words[i], xof[i]) : subtractLanes(words[i], xof[i]);
        }
    }

    /** The lattice as 2048 little-endian bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[BYTES];
        // A JDK bulk copy, not a loop of VarHandle stores into a fresh array: JDK 17's C2 lost
        // such a loop's stores in one caller shape (round 15; docs/DETERMINISM.md).
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(words, 0, WORDS);
        return out;
    }

    public static LtHash fromBytes(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("lattice must be " + BYTES + " bytes, got " + bytes.length);
        }
        int[] words = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            words[i] = (int) LE_INT.get(bytes, 4 * i);
        }
        return new LtHash(words);
    }

    /** The state root: BLAKE3 of the lattice bytes. */
    public byte[] root() {
        return Blake3.hash(toBytes());
    }

    public LtHash copy() {
        return new LtHash(words.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LtHash other && Arrays.equals(words, other.words);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(words);
    }
}
