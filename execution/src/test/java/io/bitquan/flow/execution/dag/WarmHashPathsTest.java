package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.Blake3Hasher;
import io.bitquan.flow.model.state.StateKey;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Round 15, issue 11: the product's 32-byte BLAKE3 paths, each compiled by C2 inside a caller of
 * the shape that made JDK 17's C2 lose {@link KeyHasher}'s result stores (round 14's
 * {@code NativePrediction.of} with {@code AccountKeys}: a fresh account key looked up in a
 * {@code HashMap} on both arms of a branch, then the hash inlined after it; see
 * {@code docs/probes/C2ZeroHash.java}), every result checked against BouncyCastle's digest.
 *
 * <p>Main had (and has) the same idiom, a loop of little-endian int stores that copies a hash
 * state's words into a fresh byte array, in {@code Blake3Xof.xof} (every {@link Blake3#hash} of
 * at most 1 KiB: transaction ids, keys, commitments), {@code Blake3Hasher.digest} (longer inputs:
 * ML-DSA keys and transactions) and {@code LtHash.toBytes}; whether C2 miscompiles it depends on
 * what it is inlined into, which any change can move. This test holds each hash path in the
 * known trigger (it failed for {@code KeyHasher} before its stores were written out, under the
 * Parallel collector), and the module's suite runs it under G1, Serial and Parallel. It cannot
 * prove other contexts safe: WarmDifferentialTest checks whole warm blocks end to end.
 */
class WarmHashPathsTest {
    private static final int ACCOUNTS = 4356;
    private static final int PASSES = 60;

    @Test
    void keyHasherInTheTriggerShape() {
        check("KeyHasher, 32-byte keys", 10_000, 32, new Caller() {
            private KeyHasher hasher = new KeyHasher();

            @Override
            byte[] call(byte[] sender, byte[] recipient, byte[] publicKey, Map<StateKey, Object> base, Object[] values, int t) {
                if (t % 64 == 0) {
                    hasher = new KeyHasher(); // one per 64-transaction chunk, as the prediction pass
                }
                return shapedKeyHasher(sender, recipient, publicKey, base, values, hasher);
            }
        });
    }

    @Test
    void keyHasherOfLongKeysInTheTriggerShape() {
        check("KeyHasher, 1952-byte keys (ML-DSA-65)", 1_500, 1952, new Caller() {
            private final KeyHasher hasher = new KeyHasher();

            @Override
            byte[] call(byte[] sender, byte[] recipient, byte[] publicKey, Map<StateKey, Object> base, Object[] values, int t) {
                return shapedKeyHasher(sender, recipient, publicKey, base, values, hasher);
            }
        });
    }

    @Test
    void blake3HashInTheTriggerShape() {
        check("Blake3.hash (Blake3Xof.xof), 32-byte inputs", 10_000, 32, new Caller() {
            @Override
            byte[] call(byte[] sender, byte[] recipient, byte[] publicKey, Map<StateKey, Object> base, Object[] values, int t) {
                return shapedBlake3(sender, recipient, publicKey, base, values);
            }
        });
    }

    @Test
    void blake3HasherInTheTriggerShape() {
        check("Blake3Hasher, 1952-byte inputs", 1_500, 1952, new Caller() {
            @Override
            byte[] call(byte[] sender, byte[] recipient, byte[] publicKey, Map<StateKey, Object> base, Object[] values, int t) {
                return shapedBlake3Hasher(sender, recipient, publicKey, base, values);
            }
        });
    }

    private abstract static class Caller {
        abstract byte[] call(byte[] sender, byte[] recipient, byte[] publicKey, Map<StateKey, Object> base, Object[] values, int t);
    }

    // One static caller per path, each its own C2 compilation with the hash inlined last.

    private static byte[] shapedKeyHasher(byte[] sender, byte[] recipient, byte[] publicKey, Map<StateKey, Object> base, Object[] values, KeyHasher hasher) {
        lookUp(sender, recipient, base, values);
        return hasher.hash(publicKey);
    }

    private static byte[] shapedBlake3(byte[] sender, byte[] recipient, byte[] publicKey, Map<StateKey, Object> base, Object[] values) {
        lookUp(sender, recipient, base, values);
        return Blake3.hash(publicKey);
    }

    private static byte[] shapedBlake3Hasher(byte[] sender, byte[] recipient, byte[] publicKey, Map<StateKey, Object> base, Object[] values) {
        lookUp(sender, recipient, base, values);
        return new Blake3Hasher().update(publicKey).digest();
    }

    /** The trigger's first half: fresh account keys (hashCode's loop runs on them) looked up on both arms of a branch. */
    private static void lookUp(byte[] sender, byte[] recipient, Map<StateKey, Object> base, Object[] values) {
        StateKey from = StateKey.account(sender);
        StateKey to = StateKey.account(recipient);
        if (from.equals(to)) {
            values[0] = base.get(from);
            values[1] = null;
        } else {
            values[0] = base.get(from);
            values[1] = base.get(to);
        }
    }

    private static void check(String path, int n, int inputLength, Caller caller) {
        Random random = new Random(15);
        byte[][] addresses = new byte[ACCOUNTS][StateKey.ADDRESS_BYTES];
        Map<StateKey, Object> base = new HashMap<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            random.nextBytes(addresses[i]);
            base.put(StateKey.account(addresses[i]), i);
        }
        byte[][] inputs = new byte[n][inputLength];
        byte[][] expected = new byte[n][];
        int[] from = new int[n];
        int[] to = new int[n];
        for (int t = 0; t < n; t++) {
            random.nextBytes(inputs[t]);
            expected[t] = Blake3.xof(inputs[t], Blake3.HASH_BYTES); // BouncyCastle's digest
            from[t] = random.nextInt(ACCOUNTS);
            to[t] = t % 97 == 0 ? from[t] : random.nextInt(ACCOUNTS);
        }
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName()).collect(Collectors.joining(","));
        Object[] values = new Object[2];
        for (int pass = 0; pass < PASSES; pass++) {
            int wrong = 0;
            int first = -1;
            for (int t = 0; t < n; t++) {
                byte[] hash = caller.call(addresses[from[t]], addresses[to[t]], inputs[t], base, values, t);
                if (!Arrays.equals(hash, expected[t])) {
                    wrong++;
                    first = first < 0 ? t : first;
                }
                assertThat(values[0]).isEqualTo(from[t]);
            }
            assertThat(wrong).as("%s, pass %d: hashes that are not BLAKE3 (first: input %d), collectors %s", path, pass, first, collectors)
                    .isZero();
        }
    }
}
