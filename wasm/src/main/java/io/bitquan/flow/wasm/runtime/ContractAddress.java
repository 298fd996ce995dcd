package io.bitquan.flow.wasm.runtime;

import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.Blake3;
import java.nio.charset.StandardCharsets;

/**
 * A deployed contract's address: BLAKE3("bitquan/contract" | sender(32) | nonce(i64 BE)), the
 * nonce being the deploy transaction's. Unique because an account's nonce is used once.
 */
public final class ContractAddress {
    private static final byte[] DOMAIN = "bitquan/contract".getBytes(StandardCharsets.US_ASCII);

    private ContractAddress() {}

    public static byte[] of(byte[] sender, long nonce) {
        return Blake3.hash(DOMAIN, sender, new CanonicalWriter(8).i64(nonce).toByteArray());
    }
}
