package io.bitquan.flow.operators.prepare;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * Witness stripping (docs/DESIGN.md §9): once a preparer has verified a chunk's signatures (or
 * assume-valid skipped them), the executor needs only the verdict, never the signatures, so a
 * PREPARED chunk carries its transactions without them (an ML-DSA-65 signature is 3,309 of a
 * transfer's ~5,400 bytes). Ids and hashes, which do cover the signatures, were computed by the
 * preparer from the full transactions.
 *
 * <p>The executor restores a signature of the scheme's length, all zeros, in place of each one
 * removed: the structure rules check signature lengths only, so a stripped block passes (and
 * fails) them exactly as its full copy did; the verdict comes from the preparer; nothing after
 * that reads a signature (the rules, the engines, receipts and feeds use the ids, hashes and
 * public keys). Only chunks whose every transaction passed the structure check are stripped, so
 * a malformed signature still reaches the executor as it was sent.
 */
public final class Witnesses {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /**
     * Stripping costs the preparer a re-encoding of each transaction and saves bytes on the
     * preparer -> executor hop, in the executor's buffered chunks and decode: it pays for
     * signatures of this size or more (ML-DSA-65: 3,309 B), not for Ed25519's 64 B, where the
     * re-encoding costs more than the bytes saved (docs/PERFORMANCE.md, "Round 4").
     */
    static final int MIN_SIGNATURE_BYTES = 1024;

    private Witnesses() {}

    /** Whether the preparers strip the signatures of this scheme. */
    public static boolean pays(SignatureScheme scheme) {
        return scheme.signatureBytes() >= MIN_SIGNATURE_BYTES;
    }

    /** Removes every signature of {@code tx} in place (a coinbase has none). */
    public static void strip(Transaction tx) {
        replace(tx, () -> EMPTY.duplicate());
    }

    /** Puts back a zero signature of {@code signatureBytes} for every one {@link #strip} removed. */
    public static void restore(Transaction tx, int signatureBytes) {
        byte[] zeros = Placeholder.of(signatureBytes);
        replace(tx, () -> ByteBuffer.wrap(zeros).asReadOnlyBuffer());
    }

    private static void replace(Transaction tx, Supplier<ByteBuffer> signature) {
        Object body = tx.getBody();
        if (body instanceof UtxoTransfer t) {
            for (TxInput in : t.getInputs()) {
                in.setSignature(signature.get());
            }
        } else if (body instanceof AccountTransfer t) {
            t.setSignature(signature.get());
        } else if (body instanceof ContractDeploy t) {
            t.setSignature(signature.get());
        } else if (body instanceof ContractCall t) {
            t.setSignature(signature.get());
        }
    }

    /** One shared all-zero array per length (read-only buffers over it: nobody writes it). */
    private static final class Placeholder {
        private static volatile byte[] last = new byte[0];

        static byte[] of(int length) {
            byte[] z = last;
            if (z.length != length) {
                z = new byte[length];
                last = z;
            }
            return z;
        }
    }
}
