package io.bitquan.flow.model.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The tuned single-chunk XOF must be bit-identical to BLAKE3 (official vectors:
 * Blake3KnownAnswerTest), to BouncyCastle's general digest and to the first implementation.
 */
class Blake3XofTest {

    @Property(tries = 300)
    void equalsTheGeneralDigest(@ForAll @Size(max = 1100) byte[] input, @ForAll @IntRange(min = 1, max = 2100) int length) {
        assertThat(Blake3Xof.xof(input, length)).isEqualTo(Blake3.xof(input, length));
    }

    @Property(tries = 300)
    void equalsTheReferenceAt2048Bytes(@ForAll @IntRange(min = 0, max = 1100) int inputLength, @ForAll long seed) {
        byte[] input = new byte[inputLength];
        new Random(seed).nextBytes(input);
        int[] words = new int[512];
        int[] reference = new int[512];
        Blake3Xof.xofWords(input, words);
        Blake3XofReference.xofWords(input, reference);
        assertThat(words).isEqualTo(reference);
        assertThat(Blake3Xof.xof(input, 2048)).isEqualTo(Blake3XofReference.xof(input, 2048));
    }

    /** A reused root node forgets the previous input (shorter inputs leave no stale bytes behind). */
    @Property(tries = 100)
    void reusedRootEqualsAFreshOne(@ForAll @Size(max = 1024) byte[] first, @ForAll @Size(max = 1024) byte[] second,
                                   @ForAll @IntRange(min = 0, max = 40) int counter) {
        Blake3Xof.Root reused = new Blake3Xof.Root().absorb(first, 0, first.length).absorb(second, 0, second.length);
        Blake3Xof.Root fresh = new Blake3Xof.Root().absorb(second, 0, second.length);
        int[] a = new int[16];
        int[] b = new int[16];
        reused.output(counter, a, 0);
        fresh.output(counter, b, 0);
        assertThat(a).isEqualTo(b);
        byte[] expected = java.util.Arrays.copyOfRange(Blake3.xof(second, 64 * (counter + 1)), 64 * counter, 64 * (counter + 1));
        byte[] actual = new byte[64];
        for (int i = 0; i < 64; i++) {
            actual[i] = (byte) (a[i >>> 2] >>> ((i & 3) << 3));
        }
        assertThat(actual).isEqualTo(expected);
    }
}
