package io.bitquan.flow.model.crypto;

/**
 * The first single-chunk BLAKE3 XOF of the LtHash element hash (rounds through a message-schedule
 * table, arrays for state), kept unchanged as the baseline: {@code bench lthash} measures
 * {@link Blake3Xof} against it in the same run, and the tests require both to agree with each other
 * and with the official vectors. Not used on any hashing path. Stateless and thread-safe.
 */
public final class Blake3XofReference {
    static final int CHUNK_LEN = 1024;
    private static final int BLOCK_LEN = 64;
    private static final int CHUNK_START = 1;
    private static final int CHUNK_END = 2;
    private static final int ROOT = 8;
    private static final int[] IV = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19
    };
    /** Message word order for each of the 7 rounds (the permutation applied 0..6 times). */
    private static final int[][] SCHEDULE = schedule();

    private Blake3XofReference() {}

    /** BLAKE3(input) extended to {@code length} bytes (a multiple of 64 is fastest). */
    public static byte[] xof(byte[] input, int length) {
        if (input.length > CHUNK_LEN) {
            return Blake3.xof(input, length);
        }
        int[] words = new int[(length + 3) / 4];
        xofWords(input, words);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (words[i >>> 2] >>> ((i & 3) << 3));
        }
        return out;
    }

    /**
     * Fills {@code out} with the XOF output as little-endian 32-bit words (output byte 4i is the
     * low byte of word i): what the LtHash lanes are made of, without a byte-array round trip.
     */
    public static void xofWords(byte[] input, int[] out) {
        if (input.length > CHUNK_LEN) {
            byte[] bytes = Blake3.xof(input, out.length * 4);
            for (int i = 0; i < out.length; i++) {
                out[i] = (bytes[4 * i] & 0xFF) | (bytes[4 * i + 1] & 0xFF) << 8 | (bytes[4 * i + 2] & 0xFF) << 16
                        | (bytes[4 * i + 3] & 0xFF) << 24;
            }
            return;
        }
        int[] cv = IV.clone();
        int[] block = new int[16];
        int blocks = Math.max(1, (input.length + BLOCK_LEN - 1) / BLOCK_LEN);
        int[] state = new int[16];
        // Absorb every block but the last; the last becomes the root node, compressed per output block.
        for (int b = 0; b < blocks - 1; b++) {
            load(input, b * BLOCK_LEN, BLOCK_LEN, block);
            compress(cv, block, 0, BLOCK_LEN, b == 0 ? CHUNK_START : 0, state);
            for (int i = 0; i < 8; i++) {
                cv[i] = state[i] ^ state[i + 8];
            }
        }
        int lastOffset = (blocks - 1) * BLOCK_LEN;
        int lastLen = input.length - lastOffset;
        load(input, lastOffset, lastLen, block);
        int flags = CHUNK_END | ROOT | (blocks == 1 ? CHUNK_START : 0);
        for (int t = 0, offset = 0; offset < out.length; t++, offset += 16) {
            compress(cv, block, t, lastLen, flags, state);
            int n = Math.min(16, out.length - offset);
            for (int i = 0; i < n; i++) {
                out[offset + i] = i < 8 ? state[i] ^ state[i + 8] : state[i] ^ cv[i - 8];
            }
        }
    }

    private static void load(byte[] in, int offset, int len, int[] words) {
        java.util.Arrays.fill(words, 0);
        for (int i = 0; i < len; i++) {
            words[i >>> 2] |= (in[offset + i] & 0xFF) << ((i & 3) << 3);
        }
    }

    /** The BLAKE3 compression function; leaves the 16-word state in {@code v}. */
    private static void compress(int[] cv, int[] m, long counter, int blockLen, int flags, int[] v) {
        int v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        int v8 = IV[0], v9 = IV[1], v10 = IV[2], v11 = IV[3];
        int v12 = (int) counter, v13 = (int) (counter >>> 32), v14 = blockLen, v15 = flags;
        for (int r = 0; r < 7; r++) {
            int[] s = SCHEDULE[r];
            // Columns.
            v0 += v4 + m[s[0]]; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
            v0 += v4 + m[s[1]]; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
            v1 += v5 + m[s[2]]; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
            v1 += v5 + m[s[3]]; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
            v2 += v6 + m[s[4]]; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
            v2 += v6 + m[s[5]]; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
            v3 += v7 + m[s[6]]; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
            v3 += v7 + m[s[7]]; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
            // Diagonals.
            v0 += v5 + m[s[8]]; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
            v0 += v5 + m[s[9]]; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
            v1 += v6 + m[s[10]]; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
            v1 += v6 + m[s[11]]; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
            v2 += v7 + m[s[12]]; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
            v2 += v7 + m[s[13]]; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
            v3 += v4 + m[s[14]]; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
            v3 += v4 + m[s[15]]; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        }
        v[0] = v0; v[1] = v1; v[2] = v2; v[3] = v3; v[4] = v4; v[5] = v5; v[6] = v6; v[7] = v7;
        v[8] = v8; v[9] = v9; v[10] = v10; v[11] = v11; v[12] = v12; v[13] = v13; v[14] = v14; v[15] = v15;
    }

    private static int[][] schedule() {
        int[] permutation = {2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8};
        int[][] rounds = new int[7][16];
        int[] order = new int[16];
        for (int i = 0; i < 16; i++) {
            order[i] = i;
        }
        for (int r = 0; r < 7; r++) {
            rounds[r] = order.clone();
            int[] next = new int[16];
            for (int i = 0; i < 16; i++) {
                next[i] = order[permutation[i]];
            }
            order = next;
        }
        return rounds;
    }
}
