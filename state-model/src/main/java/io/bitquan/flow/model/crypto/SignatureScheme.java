package io.bitquan.flow.model.crypto;

import java.security.SecureRandom;
import java.util.Locale;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;
import org.bouncycastle.crypto.params.ParametersWithRandom;

/**
 * The chain's signature schemes. ML-DSA-65 (FIPS 204, BitQuan's Dilithium3 level) is the
 * default; Ed25519 is allowed for devnets. Signing is deterministic for both (ML-DSA in its
 * deterministic variant, rnd = 0), so a seeded generator produces byte-identical chains.
 */
public enum SignatureScheme {
    ML_DSA_65("ml-dsa-65") {
        @Override
        public KeyPair keyPairFromSeed(byte[] seed32) {
            MLDSAPrivateKeyParameters fromSeed = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, seed32);
            // Keep the expanded encoding: re-deriving it from the seed costs a whole keygen.
            byte[] privateKey = fromSeed.getParametersWithFormat(MLDSAPrivateKeyParameters.EXPANDED_KEY).getEncoded();
            return new KeyPair(this, fromSeed.getPublicKey(), privateKey);
        }

        @Override
        public byte[] sign(byte[] privateKey, byte[] message) {
            MLDSASigner signer = new MLDSASigner();
            MLDSAPrivateKeyParameters key = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, privateKey);
            signer.init(true, new ParametersWithRandom(key, ZeroRandom.INSTANCE));
            signer.update(message, 0, message.length);
            try {
                return signer.generateSignature();
            } catch (Exception e) {
                throw new IllegalStateException("ML-DSA signing failed", e);
            }
        }

        @Override
        public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
            if (publicKey.length != ML_DSA_65_PUBLIC_KEY_BYTES) {
                return false;
            }
            MLDSASigner verifier = new MLDSASigner();
            verifier.init(false, new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, publicKey));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        }

        @Override
        public int publicKeyBytes() {
            return ML_DSA_65_PUBLIC_KEY_BYTES;
        }

        @Override
        public int signatureBytes() {
            return ML_DSA_65_SIGNATURE_BYTES;
        }
    },

    ED25519("ed25519") {
        @Override
        public KeyPair keyPairFromSeed(byte[] seed32) {
            Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(seed32, 0);
            return new KeyPair(this, key.generatePublicKey().getEncoded(), key.getEncoded());
        }

        @Override
        public byte[] sign(byte[] privateKey, byte[] message) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, new Ed25519PrivateKeyParameters(privateKey, 0));
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }

        @Override
        public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
            if (publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE) {
                return false;
            }
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        }

        @Override
        public int publicKeyBytes() {
            return Ed25519PublicKeyParameters.KEY_SIZE;
        }

        @Override
        public int signatureBytes() {
            return Ed25519PrivateKeyParameters.SIGNATURE_SIZE;
        }
    };

    /** FIPS 204 public key size for ML-DSA-65. */
    public static final int ML_DSA_65_PUBLIC_KEY_BYTES = 1952;
    /** FIPS 204 signature size for ML-DSA-65. */
    public static final int ML_DSA_65_SIGNATURE_BYTES = 3309;

    private final String id;

    SignatureScheme(String id) {
        this.id = id;
    }

    /** The scheme's name in chain configs and on the command line. */
    public String id() {
        return id;
    }

    public abstract KeyPair keyPairFromSeed(byte[] seed32);

    public abstract byte[] sign(byte[] privateKey, byte[] message);

    /** Never throws on malformed keys or signatures: they simply do not verify. */
    public abstract boolean verify(byte[] publicKey, byte[] message, byte[] signature);

    /** The exact length of an encoded public key (the validation boundary checks it). */
    public abstract int publicKeyBytes();

    /** The exact length of a signature (the validation boundary checks it). */
    public abstract int signatureBytes();

    public boolean verifySafely(byte[] publicKey, byte[] message, byte[] signature) {
        try {
            return verify(publicKey, message, signature);
        } catch (RuntimeException malformed) {
            return false;
        }
    }

    public static SignatureScheme fromId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        for (SignatureScheme scheme : values()) {
            if (scheme.id.equals(wanted)) {
                return scheme;
            }
        }
        throw new IllegalArgumentException("unknown signature scheme '" + id + "' (expected ml-dsa-65 or ed25519)");
    }

    /** FIPS 204 deterministic signing: the per-signature randomness is all zeros. */
    private static final class ZeroRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        static final ZeroRandom INSTANCE = new ZeroRandom();

        @Override
        public void nextBytes(byte[] bytes) {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }
}
