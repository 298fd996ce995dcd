package io.bitquan.flow.model.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** SipHash-2-4 against the reference implementation's vectors (key 00..0f, message 00..n-1). */
class SipHashTest {
    private static final SipHash REFERENCE_KEY = new SipHash(0x0706050403020100L, 0x0f0e0d0c0b0a0908L);

    private static byte[] counting(int n) {
        byte[] m = new byte[n];
        for (int i = 0; i < n; i++) {
            m[i] = (byte) i;
        }
        return m;
    }

    @Test
    void matchesTheReferenceVectors() {
        assertThat(REFERENCE_KEY.hash(counting(0), 0, 0)).isEqualTo(0x726fdb47dd0e0e31L);
        assertThat(REFERENCE_KEY.hash(counting(1), 0, 1)).isEqualTo(0x74f839c593dc67fdL);
        // the paper's worked example (appendix A): 15 bytes, one full block and a partial one
        assertThat(REFERENCE_KEY.hash(counting(15), 0, 15)).isEqualTo(0xa129ca6149be45e5L);
    }

    @Test
    void hashesOnlyTheGivenRange() {
        byte[] m = counting(40);
        byte[] shifted = new byte[45];
        System.arraycopy(m, 0, shifted, 3, 40);
        for (int n = 0; n <= 40; n++) {
            assertThat(REFERENCE_KEY.hash(shifted, 3, n)).as("length %d", n).isEqualTo(REFERENCE_KEY.hash(m, 0, n));
        }
    }

    @Test
    void dependsOnTheKey() {
        byte[] m = counting(20);
        assertThat(new SipHash(1, 2).hash(m, 0, 20)).isNotEqualTo(new SipHash(1, 3).hash(m, 0, 20));
    }
}
