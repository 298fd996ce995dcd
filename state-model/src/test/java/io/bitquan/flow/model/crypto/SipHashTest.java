package io.bitquan.flow.model.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bouncycastle.crypto.macs.SipHash;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * BouncyCastle's SipHash-2-4 (what {@code ElementCache} buckets by) against the reference
 * implementation's vectors (key 00..0f, message 00..n-1), and the ways the cache uses it: a range
 * of a larger buffer, one instance reused for many inputs (doFinal resets it to the key's state).
 */
class SipHashTest {
    private static byte[] counting(int n) {
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) {
            m[i] = (byte) i;
        }
        return m;
    }

    private static SipHash keyed(byte[] key) {
        SipHash h = new SipHash();
        h.init(new KeyParameter(key));
        return h;
    }

    private static long hash(SipHash h, byte[] bytes, int offset, int length) {
        h.update(bytes, offset, length);
        return h.doFinal();
    }

    @Test
    void matchesTheReferenceVectors() {
        SipHash h = keyed(counting(16));
        assertThat(hash(h, counting(0), 0, 0)).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(hash(h, counting(1), 0, 1)).isEqualTo(0x74f839c593dc67fdL);
        // the paper's worked example (appendix A): 15 bytes, one full block and a partial one
        assertThat(hash(h, counting(15), 0, 15)).isEqualTo(0xa129ca6149be45e5L);
        // the reference's vectors for 8 and 63 bytes (vectors.h, vectors_sip64[8] and [63])
        assertThat(hash(h, counting(8), 0, 8)).isEqualTo(0x93f5f5799a932462L);
        assertThat(hash(h, counting(63), 0, 63)).isEqualTo(0x958a324ceb064572L);
    }

    @Test
    void hashesOnlyTheGivenRangeAndResetsAfterEachHash() {
        SipHash h = keyed(counting(16));
        byte[] m = counting(80);
        byte[] shifted = new byte[85];
        System.arraycopy(m, 0, shifted, 3, 80);
        for (int n = 0; n <= 80; n++) {
            long expected = hash(keyed(counting(16)), m, 0, n); // a fresh instance per input
            assertThat(hash(h, shifted, 3, n)).as("length %d", n).isEqualTo(expected);
        }
    }

    @Test
    void dependsOnTheKeyAndTakesOnly128BitKeys() {
        byte[] m = counting(20);
        byte[] k1 = new byte[16];
        byte[] k2 = new byte[16];
        k2[15] = 1;
        assertThat(hash(keyed(k1), m, 0, 20)).isNotEqualTo(hash(keyed(k2), m, 0, 20));
        assertThatThrownBy(() -> keyed(new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }
}
