package io.bitquan.flow.model.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The tuned single-chunk XOF must be bit-identical to BLAKE3 (official vectors: Blake3KnownAnswerTest). */
class Blake3XofTest {

    @Property(tries = 300)
    void equalsTheGeneralDigest(@ForAll @Size(max = 1100) byte[] input, @ForAll @IntRange(min = 1, max = 2100) int length) {
        assertThat(Blake3Xof.xof(input, length)).isEqualTo(Blake3.xof(input, length));
    }
}
