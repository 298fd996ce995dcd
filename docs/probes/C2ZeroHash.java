// Stand-alone reproducer (not a test), issue 11 round 15: a C2 miscompile in JDK 17 that lost round 14's AccountKeys
// its key binding hashes. No project classes, one thread, no data race: a reused BLAKE3 one-chunk hash state (as
// dag.KeyHasher over crypto.Blake3Xof.Root) whose 32-byte result is copied out of the state's words by a loop of eight
// little-endian VarHandle int stores into a fresh byte[32], inlined by C2 into a caller that also builds a fresh key
// (33-byte array) and looks it up in a HashMap (hashCode a 4-bytes-per-step loop) on both arms of a branch: the
// caller's shape of NativePrediction.of with AccountKeys. Once C2 compiles of(), the result arrays come back all zero.
// The checks: none of 10,000 hashes per pass may be all zero (a 2^-256 event for a real hash); pass 0..399.
//
//   javac -d /tmp/c2zero docs/probes/C2ZeroHash.java
//   java -XX:+UseParallelGC -cp /tmp/c2zero C2ZeroHash                  # FAIL on JDK 17.0.15 (Debian), within ~10 passes
//   java -XX:+UseParallelGC -Dstraight=true -cp /tmp/c2zero C2ZeroHash  # PASS: the stores written out (the workaround)
//
// Measured on this machine (round 15; docs/PERFORMANCE.md "Round 15: the AccountKeys root cause"), the loop version:
//   JDK 17.0.15+6 (Debian, the project's): Parallel FAIL, Serial FAIL, G1 FAIL (1 zero hash, late in the run)
//   JDK 17.0.21.1+2 (Debian's newest 17, unpacked from its .deb): Parallel FAIL, Serial FAIL, G1 FAIL (~1,600 zero hashes)
//   JDK 25.0.3 (Temurin): Parallel, Serial, G1 all PASS
//   17.0.15 Parallel with -XX:-UseLoopPredicate, with -XX:LoopUnrollLimit=0, or C1 only (-XX:TieredStopAtLevel=1): PASS;
//   with -XX:-UseOnStackReplacement, -XX:-UseSuperWord or -XX:-ReduceBulkZeroing: still FAIL.
//   -Dstraight=true: PASS on every JDK and collector above.
// (Measured with BLAKE3's seven rounds in compress; this file keeps round 1 only and fails alike on 17.0.15.)
// The same bug in the product: the bench's transfer block rejected ("public key does not hash to the sender") because
// every KeyBinding hash was zero; single-threaded repro with the project's classes: WarmKeyBindingTest.
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Random;

public class C2ZeroHash {
    /** -Dstraight=true: the workaround (the eight stores written out, as dag.KeyHasher since round 15). */
    static final boolean STRAIGHT = Boolean.getBoolean("straight");

    static final int IV0 = 0x6A09E667, IV1 = 0xBB67AE85, IV2 = 0x3C6EF372, IV3 = 0xA54FF53A;
    static final int IV4 = 0x510E527F, IV5 = 0x9B05688C, IV6 = 0x1F83D9AB, IV7 = 0x5BE0CD19;
    static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static final class Root {
        final int[] cv = new int[8];
        final int[] block = new int[16];
        final int[] scratch = new int[16];
        final byte[] tail = new byte[64];
        int blockLen;
        int flags;

        Root absorb(byte[] in, int offset, int len) {
            cv[0] = IV0; cv[1] = IV1; cv[2] = IV2; cv[3] = IV3; cv[4] = IV4; cv[5] = IV5; cv[6] = IV6; cv[7] = IV7;
            int blocks = Math.max(1, (len + 63) / 64);
            for (int b = 0; b < blocks - 1; b++) {
                load(in, offset + b * 64, block);
                compress(cv, block, 0, 64, b == 0 ? 1 : 0, scratch, 0);
                System.arraycopy(scratch, 0, cv, 0, 8);
            }
            int lastLen = len - (blocks - 1) * 64;
            Arrays.fill(tail, (byte) 0);
            System.arraycopy(in, offset + (blocks - 1) * 64, tail, 0, lastLen);
            load(tail, 0, block);
            blockLen = lastLen;
            flags = 2 | 8 | (blocks == 1 ? 1 : 0);
            return this;
        }

        void output(long counter, int[] out, int off) {
            compress(cv, block, counter, blockLen, flags, out, off);
        }
    }

    static void load(byte[] in, int offset, int[] words) {
        for (int i = 0; i < 16; i++) {
            words[i] = (int) LE_INT.get(in, offset + 4 * i);
        }
    }

    static final class Hasher {
        final Root root = new Root();
        final int[] words = new int[16];

        byte[] hash(byte[] input) {
            root.absorb(input, 0, input.length).output(0, words, 0);
            byte[] out = new byte[32];
            if (STRAIGHT) {
                int[] w = words;
                LE_INT.set(out, 0, w[0]); LE_INT.set(out, 4, w[1]); LE_INT.set(out, 8, w[2]); LE_INT.set(out, 12, w[3]);
                LE_INT.set(out, 16, w[4]); LE_INT.set(out, 20, w[5]); LE_INT.set(out, 24, w[6]); LE_INT.set(out, 28, w[7]);
            } else {
                // the lost stores: after C2, `out` comes back all zero while `words` holds the hash
                for (int i = 0; i < 8; i++) {
                    LE_INT.set(out, 4 * i, words[i]);
                }
            }
            return out;
        }
    }

    static final class Key {
        final byte[] encoded;
        int hash;
        Key(byte[] e) { encoded = e; }
        static Key of(byte[] address) {
            byte[] e = new byte[33];
            e[0] = 2;
            System.arraycopy(address, 0, e, 1, 32);
            return new Key(e);
        }
        @Override public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(encoded, k.encoded);
        }
        /** As model.state.StateKey's (its loop is part of the trigger): cached, computed by bytesHash. */
        @Override public int hashCode() {
            int h = hash;
            if (h == 0) { h = bytesHash(encoded); hash = h; }
            return h;
        }
        static int bytesHash(byte[] bytes) {
            int h = 1;
            int i = 0;
            int n = bytes.length;
            for (; i + 3 < n; i += 4) {
                h = 923521 * h + 29791 * bytes[i] + 961 * bytes[i + 1] + 31 * bytes[i + 2] + bytes[i + 3];
            }
            for (; i < n; i++) {
                h = 31 * h + bytes[i];
            }
            return h;
        }
    }

    record Result(Key[] keys, Object[] values, byte[] hash) {}

    static Result of(byte[] sender, byte[] recipient, byte[] publicKey, HashMap<Key, Object> base, Hasher hasher) {
        Key from = Key.of(sender);
        Key to = Key.of(recipient);
        Key[] keys;
        Object[] values;
        if (from.equals(to)) {
            keys = new Key[] {from};
            values = new Object[] {base.get(from)};
        } else {
            keys = new Key[] {from, to};
            values = new Object[] {base.get(from), base.get(to)};
        }
        return new Result(keys, values, hasher.hash(publicKey));
    }

    public static void main(String[] args) {
        int n = 10000;
        Random r = new Random(1);
        byte[][] addr = new byte[4356][32];
        HashMap<Key, Object> base = new HashMap<>();
        for (int i = 0; i < addr.length; i++) {
            r.nextBytes(addr[i]);
            base.put(Key.of(addr[i]), i);
        }
        byte[][] pk = new byte[n][32];
        int[] from = new int[n], to = new int[n];
        for (int i = 0; i < n; i++) {
            r.nextBytes(pk[i]);
            from[i] = r.nextInt(addr.length);
            to[i] = r.nextInt(addr.length);
        }
        byte[] zero = new byte[32];
        for (int rep = 0; rep < 400; rep++) {
            int zeros = 0;
            for (int c = 0; c < n; c += 64) {
                Hasher hasher = new Hasher();
                for (int t = c; t < Math.min(n, c + 64); t++) {
                    if (Arrays.equals(of(addr[from[t]], addr[to[t]], pk[t], base, hasher).hash(), zero)) {
                        zeros++;
                    }
                }
            }
            if (zeros > 0) {
                System.out.println("FAIL: rep " + rep + ": " + zeros + " of " + n + " hashes are all zero");
                System.exit(1);
            }
        }
        System.out.println("PASS: no all-zero hash");
    }

    /**
     * Round 1 of BLAKE3's compression (crypto.Blake3Xof.compress has all seven; one reproduces as well): what matters is
     * only that it is too big for C2 to inline, so the hash state's words are written by a call.
     */
    static void compress(int[] cv, int[] m, long counter, int blockLen, int flags, int[] out, int off) {
        int v0 = cv[0], v1 = cv[1], v2 = cv[2], v3 = cv[3], v4 = cv[4], v5 = cv[5], v6 = cv[6], v7 = cv[7];
        int v8 = IV0, v9 = IV1, v10 = IV2, v11 = IV3;
        int v12 = (int) counter, v13 = (int) (counter >>> 32), v14 = blockLen, v15 = flags;
        // Round 1.
        v0 += v4 + m[0]; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
        v0 += v4 + m[1]; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
        v1 += v5 + m[2]; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
        v1 += v5 + m[3]; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
        v2 += v6 + m[4]; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
        v2 += v6 + m[5]; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
        v3 += v7 + m[6]; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
        v3 += v7 + m[7]; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
        v0 += v5 + m[8]; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
        v0 += v5 + m[9]; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
        v1 += v6 + m[10]; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
        v1 += v6 + m[11]; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
        v2 += v7 + m[12]; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
        v2 += v7 + m[13]; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
        v3 += v4 + m[14]; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
        v3 += v4 + m[15]; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        out[off] = v0 ^ v8; out[off + 1] = v1 ^ v9; out[off + 2] = v2 ^ v10; out[off + 3] = v3 ^ v11;
        out[off + 4] = v4 ^ v12; out[off + 5] = v5 ^ v13; out[off + 6] = v6 ^ v14; out[off + 7] = v7 ^ v15;
        out[off + 8] = v8 ^ cv[0]; out[off + 9] = v9 ^ cv[1]; out[off + 10] = v10 ^ cv[2]; out[off + 11] = v11 ^ cv[3];
        out[off + 12] = v12 ^ cv[4]; out[off + 13] = v13 ^ cv[5]; out[off + 14] = v14 ^ cv[6]; out[off + 15] = v15 ^ cv[7];
    }
}
