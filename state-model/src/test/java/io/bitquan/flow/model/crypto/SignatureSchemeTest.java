package io.bitquan.flow.model.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignatureSchemeTest {
    private static final byte[] SEED = new byte[32];
    private static final byte[] MESSAGE = "bitquan".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void signsDeterministicallyAndVerifies(SignatureScheme scheme) {
        KeyPair key = scheme.keyPairFromSeed(SEED);
        byte[] first = key.sign(MESSAGE);
        assertThat(key.sign(MESSAGE)).as("deterministic signing").isEqualTo(first);
        assertThat(scheme.keyPairFromSeed(SEED).publicKey()).as("deterministic keys").isEqualTo(key.publicKey());
        assertThat(scheme.verify(key.publicKey(), MESSAGE, first)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void rejectsTamperedOrMalformedInput(SignatureScheme scheme) {
        KeyPair key = scheme.keyPairFromSeed(SEED);
        byte[] signature = key.sign(MESSAGE);
        byte[] tampered = signature.clone();
        tampered[tampered.length / 2] ^= 1;
        assertThat(scheme.verifySafely(key.publicKey(), MESSAGE, tampered)).isFalse();
        assertThat(scheme.verifySafely(key.publicKey(), "other".getBytes(StandardCharsets.US_ASCII), signature)).isFalse();
        assertThat(scheme.verifySafely(new byte[3], MESSAGE, signature)).as("short key").isFalse();
        assertThat(scheme.verifySafely(key.publicKey(), MESSAGE, new byte[5])).as("short signature").isFalse();
    }

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void idsRoundTrip(SignatureScheme scheme) {
        assertThat(SignatureScheme.fromId(scheme.id())).isEqualTo(scheme);
    }
}
