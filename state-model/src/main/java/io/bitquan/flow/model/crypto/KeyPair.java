package io.bitquan.flow.model.crypto;

/** A key pair of one scheme; the address / lock of the owner is BLAKE3(publicKey). */
public record KeyPair(SignatureScheme scheme, byte[] publicKey, byte[] privateKey) {

    public byte[] address() {
        return Blake3.hash(publicKey);
    }

    public byte[] sign(byte[] message) {
        return scheme.sign(privateKey, message);
    }
}
