package io.bitquan.flow.model.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * BLAKE3-256 of inputs of any length, incrementally, on {@link Blake3Xof}'s compression function:
 * the BLAKE3 tree (1 KiB chunks, their chaining values merged into parent nodes as chunks
 * complete, the root compressed with the ROOT flag), as the BLAKE3 paper's reference
 * implementation walks it. BouncyCastle's general {@code Blake3Digest} permutes a message index
 * table each round and was ~23 % of the ML-DSA preparers' CPU (ids and hashes of ~7.3 KB per
 * transaction, docs/PERFORMANCE.md "Round 7"); this hasher computes the same bits (tested against
 * the official vectors and BouncyCastle).
 *
 * <p>{@link #copyFrom} forks a hasher: a transaction's id (its encoding without signature) and its
 * hash (the same bytes followed by the signature) share the absorbed prefix. Not thread-safe.
 */
public final class Blake3Hasher {
    private static final int CHUNK_LEN = Blake3Xof.CHUNK_LEN;
    private static final int BLOCK_LEN = 64;
    private static final int CHUNK_START = 1;
    private static final int CHUNK_END = 2;
    private static final int PARENT = 4;
    private static final int ROOT = 8;
    private static final int[] IV = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
    };
    /** A 2^64-byte input has at most 54 pending subtree roots. */
    private static final int MAX_DEPTH = 54;
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** Chaining values of completed subtrees, 8 words each, left to right. */
    private final int[] stack = new int[MAX_DEPTH * 8];
    private int stackLen;
    /** The current chunk: its chaining value so far, number, blocks absorbed and the pending block. */
    private final int[] cv = new int[8];
    private long chunkCounter;
    private int blocksCompressed;
    private final byte[] block = new byte[BLOCK_LEN];
    private int blockLen;
    // scratch: message words, compression output, a parent node's message
    private final int[] m = new int[16];
    private final int[] out = new int[16];

    public Blake3Hasher() {
        reset();
    }

    /** Ready for a new input. */
    public Blake3Hasher reset() {
        stackLen = 0;
        startChunk(0);
        return this;
    }

    /** This hasher becomes an exact copy of {@code other} (the same input absorbed so far). */
    public Blake3Hasher copyFrom(Blake3Hasher other) {
        System.arraycopy(other.stack, 0, stack, 0, other.stackLen * 8);
        stackLen = other.stackLen;
        System.arraycopy(other.cv, 0, cv, 0, 8);
        chunkCounter = other.chunkCounter;
        blocksCompressed = other.blocksCompressed;
        System.arraycopy(other.block, 0, block, 0, BLOCK_LEN);
        blockLen = other.blockLen;
        return this;
    }

    public Blake3Hasher update(byte[] in) {
        return update(in, 0, in.length);
    }

    public Blake3Hasher update(byte[] in, int offset, int len) {
        int end = offset + len;
        while (offset < end) {
            if (chunkLength() == CHUNK_LEN) {
                // the chunk is complete and more input follows: it is not the root
                chunkOutput(0, out, 0);
                long total = chunkCounter + 1;
                pushChunk(out, total);
                startChunk(total);
            }
            if (blockLen == BLOCK_LEN) {
                // the block is full and more input follows: absorb it into the chunk's chaining value
                load(block, 0);
                Blake3Xof.compress(cv, m, chunkCounter, BLOCK_LEN, blocksCompressed == 0 ? CHUNK_START : 0, out, 0);
                System.arraycopy(out, 0, cv, 0, 8);
                blocksCompressed++;
                blockLen = 0;
            }
            if (blockLen == 0 && blocksCompressed < CHUNK_LEN / BLOCK_LEN - 1 && end - offset > BLOCK_LEN) {
                // a whole block straight from the input, known not to be the chunk's last
                load(in, offset);
                Blake3Xof.compress(cv, m, chunkCounter, BLOCK_LEN, blocksCompressed == 0 ? CHUNK_START : 0, out, 0);
                System.arraycopy(out, 0, cv, 0, 8);
                blocksCompressed++;
                offset += BLOCK_LEN;
                continue;
            }
            int n = Math.min(BLOCK_LEN - blockLen, end - offset);
            System.arraycopy(in, offset, block, blockLen, n);
            blockLen += n;
            offset += n;
        }
        return this;
    }

    /** The 32-byte BLAKE3 hash of everything absorbed; the hasher is unchanged (absorb more, or reset). */
    public byte[] digest() {
        int[] node = new int[16];
        int[] words = new int[16];
        int[] parentCv = new int[8];
        // The root is the current chunk when no subtree is pending, else the last parent merged.
        int flags = chunkFlags();
        load(block, 0, blockLen, words);
        System.arraycopy(cv, 0, parentCv, 0, 8);
        long counter = chunkCounter;
        int len = blockLen;
        for (int i = stackLen - 1; i >= 0; i--) {
            Blake3Xof.compress(parentCv, words, counter, len, flags, node, 0);
            System.arraycopy(stack, i * 8, words, 0, 8);
            System.arraycopy(node, 0, words, 8, 8);
            System.arraycopy(IV, 0, parentCv, 0, 8);
            counter = 0;
            len = BLOCK_LEN;
            flags = PARENT;
        }
        Blake3Xof.compress(parentCv, words, counter, len, flags | ROOT, node, 0);
        byte[] hash = new byte[32];
        // A JDK bulk copy, not a loop of VarHandle stores into a fresh array: JDK 17's C2 lost
        // such a loop's stores in one caller shape (round 15; docs/DETERMINISM.md).
        ByteBuffer.wrap(hash).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(node, 0, 8);
        return hash;
    }

    /** BLAKE3-256 of {@code input}. */
    public static byte[] hash(byte[] input) {
        return new Blake3Hasher().update(input).digest();
    }

    private int chunkLength() {
        return blocksCompressed * BLOCK_LEN + blockLen;
    }

    private int chunkFlags() {
        return CHUNK_END | (blocksCompressed == 0 ? CHUNK_START : 0);
    }

    private void startChunk(long counter) {
        System.arraycopy(IV, 0, cv, 0, 8);
        chunkCounter = counter;
        blocksCompressed = 0;
        blockLen = 0;
    }

    /** The current chunk's output node compressed with {@code extraFlags}: its chaining value in {@code dst[off..off+8)}. */
    private void chunkOutput(int extraFlags, int[] dst, int off) {
        load(block, 0, blockLen, m);
        Blake3Xof.compress(cv, m, chunkCounter, blockLen, chunkFlags() | extraFlags, dst, off);
    }

    /** Pushes a completed chunk's chaining value, merging every subtree it completes ({@code total} chunks so far). */
    private void pushChunk(int[] chunkCv, long total) {
        System.arraycopy(chunkCv, 0, m, 8, 8);
        while ((total & 1) == 0) {
            stackLen--;
            System.arraycopy(stack, stackLen * 8, m, 0, 8);
            Blake3Xof.compress(IV, m, 0, BLOCK_LEN, PARENT, out, 0);
            System.arraycopy(out, 0, m, 8, 8);
            total >>= 1;
        }
        System.arraycopy(m, 8, stack, stackLen * 8, 8);
        stackLen++;
    }

    private void load(byte[] in, int offset) {
        for (int i = 0; i < 16; i++) {
            m[i] = (int) LE_INT.get(in, offset + 4 * i);
        }
    }

    /** The first {@code len} bytes of {@code in[offset..]} as 16 words, zero-padded. */
    private static void load(byte[] in, int offset, int len, int[] words) {
        if (len == BLOCK_LEN) {
            for (int i = 0; i < 16; i++) {
                words[i] = (int) LE_INT.get(in, offset + 4 * i);
            }
            return;
        }
        java.util.Arrays.fill(words, 0);
        for (int i = 0; i < len; i++) {
            words[i >>> 2] |= (in[offset + i] & 0xFF) << ((i & 3) << 3);
        }
    }
}
