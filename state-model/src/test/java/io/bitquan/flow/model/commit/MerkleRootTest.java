package io.bitquan.flow.model.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleRootTest {
    private static final byte[] A = {1};
    private static final byte[] B = {2};
    private static final byte[] C = {3};

    @Test
    void emptyIsZeroAndOrderMatters() {
        assertThat(MerkleRoot.of(List.of())).isEqualTo(new byte[32]);
        assertThat(MerkleRoot.of(List.of(A, B))).isNotEqualTo(MerkleRoot.of(List.of(B, A)));
        assertThat(MerkleRoot.of(List.of(A))).isNotEqualTo(MerkleRoot.of(List.of(B)));
    }

    @Test
    void oddLeafIsNotDuplicated() {
        // Bitcoin's tree gives [a,b,c] and [a,b,c,c] the same root (CVE-2012-2459); ours must not.
        assertThat(MerkleRoot.of(List.of(A, B, C))).isNotEqualTo(MerkleRoot.of(List.of(A, B, C, C)));
    }

    @Test
    void leafAndNodeHashesAreDomainSeparated() {
        // A one-leaf tree whose leaf is the concatenation of two child hashes is not their parent.
        byte[] left = MerkleRoot.of(List.of(A));
        byte[] right = MerkleRoot.of(List.of(B));
        byte[] parent = MerkleRoot.of(List.of(A, B));
        assertThat(MerkleRoot.of(List.of(io.bitquan.flow.model.codec.Bytes.concat(left, right)))).isNotEqualTo(parent);
    }
}
