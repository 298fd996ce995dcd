package io.bitquan.flow.model.chain;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.Blake3Hasher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Canonical transaction encodings and the hashes derived from them.
 *
 * <ul>
 *   <li>txId = BLAKE3(encoding without signatures): signatures cannot change it (no malleability);
 *       UTXO outputs are keyed by it.
 *   <li>sighash = BLAKE3("bitquan/sighash" | chainId | txId); UTXO input i signs sighash | u32(i),
 *       account and contract transactions sign the sighash.
 *   <li>tx hash = BLAKE3(full encoding, signatures included): the tx root's leaves, so a block
 *       with a corrupted signature has a different header id.
 * </ul>
 * Variant tags: 0 coinbase, 1 UTXO transfer, 2 account transfer, 3 contract deploy, 4 contract call.
 */
public final class TxCodec {
    private static final byte[] SIGHASH_DOMAIN = "bitquan/sighash".getBytes(StandardCharsets.US_ASCII);

    private TxCodec() {}

    /**
     * One writer and one hasher per thread for the ids and hashes (the preparers compute them for
     * every transaction): the writer keeps its grown buffer and the hasher its ~2 KB of state, so an
     * id costs its 32-byte result. Before, each call grew a fresh 256-byte writer to ~8 KB for an
     * ML-DSA transaction and copied it out (round 14: ~15 % of the preparers' allocation), plus a new
     * hasher and a copy of every field. Not reentrant: nothing here calls back into this class.
     */
    private static final class Scratch {
        /** A writer that grew past this (a big contract deploy) is not kept for the thread's lifetime. */
        static final int KEEP_BYTES = 64 * 1024;

        CanonicalWriter writer = new CanonicalWriter(1024);
        final Blake3Hasher hasher = new Blake3Hasher();

        CanonicalWriter writer() {
            if (writer.capacity() > KEEP_BYTES) {
                writer = new CanonicalWriter(1024);
            }
            return writer.reset();
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    public static byte[] txId(Transaction tx) {
        return hashOf(tx, false);
    }

    public static byte[] txHash(Transaction tx) {
        return hashOf(tx, true);
    }

    private static byte[] hashOf(Transaction tx, boolean withSignatures) {
        Scratch s = SCRATCH.get();
        CanonicalWriter w = s.writer();
        write(w, tx, withSignatures);
        return s.hasher.reset().update(w.buffer(), 0, w.size()).digest();
    }

    public static byte[] sighash(String chainId, byte[] txId) {
        return Blake3.hash(SIGHASH_DOMAIN, chainId.getBytes(StandardCharsets.UTF_8), txId);
    }

    /** The message input {@code index} of a UTXO transfer signs. */
    public static byte[] inputMessage(byte[] sighash, int index) {
        return new CanonicalWriter(36).fixed(sighash).i32(index).toByteArray();
    }

    /**
     * {txId, txHash} from one encoding: for a transaction whose only signature is its last field
     * (account transfers, deploys and calls; a coinbase has none) the encoding without signatures
     * is a prefix of the full one, so one {@link Blake3Hasher} absorbs it once, gives the id, and
     * continues over the signature for the hash (an ML-DSA transfer is ~5.4 KB, ~2 KB of it the
     * prefix). UTXO transfers sign per input, interleaved: two encodings, as {@link #txId} and
     * {@link #txHash}. Identical to those two (tested). The encoding is written into the thread's
     * scratch writer and hashed in place ({@link Scratch}).
     */
    public static byte[][] idAndHash(Transaction tx) {
        Scratch s = SCRATCH.get();
        CanonicalWriter w = s.writer();
        int signatureAt = write(w, tx, true);
        Blake3Hasher h = s.hasher.reset();
        if (signatureAt < 0) {
            byte[] hash = h.update(w.buffer(), 0, w.size()).digest();
            w.reset();
            write(w, tx, false);
            return new byte[][] {h.reset().update(w.buffer(), 0, w.size()).digest(), hash};
        }
        byte[] id = h.update(w.buffer(), 0, signatureAt).digest();
        return new byte[][] {id, h.update(w.buffer(), signatureAt, w.size() - signatureAt).digest()};
    }

    public static byte[] encode(Transaction tx, boolean withSignatures) {
        CanonicalWriter w = new CanonicalWriter(256);
        write(w, tx, withSignatures);
        return w.toByteArray();
    }

    /**
     * Writes the canonical encoding; returns where its trailing signature starts (the end for a
     * coinbase, which has none), or -1 when signatures are not one trailing field (UTXO inputs).
     */
    private static int write(CanonicalWriter w, Transaction tx, boolean withSignatures) {
        Object body = tx.getBody();
        int signatureAt;
        if (body instanceof Coinbase cb) {
            w.u8(0).i64(cb.getHeight());
            outputs(w, cb.getOutputs());
            signatureAt = w.size();
        } else if (body instanceof UtxoTransfer t) {
            w.u8(1).i32(t.getInputs().size());
            for (TxInput in : t.getInputs()) {
                w.bytes(in.getPrevTxId()).i32(in.getPrevIndex()).bytes(in.getPublicKey());
                if (withSignatures) {
                    w.bytes(in.getSignature());
                }
            }
            outputs(w, t.getOutputs());
            signatureAt = -1;
        } else if (body instanceof AccountTransfer t) {
            w.u8(2).bytes(t.getSender()).bytes(t.getPublicKey()).bytes(t.getRecipient())
                    .i64(t.getAmount()).i64(t.getFee()).i64(t.getNonce());
            signatureAt = w.size();
            if (withSignatures) {
                w.bytes(t.getSignature());
            }
        } else if (body instanceof ContractDeploy t) {
            w.u8(3).bytes(t.getSender()).bytes(t.getPublicKey()).bytes(t.getCode())
                    .bytes(t.getConstructorArgs()).i64(t.getGasLimit()).i64(t.getFee()).i64(t.getNonce());
            signatureAt = w.size();
            if (withSignatures) {
                w.bytes(t.getSignature());
            }
        } else if (body instanceof ContractCall t) {
            w.u8(4).bytes(t.getSender()).bytes(t.getPublicKey()).bytes(t.getContract())
                    .string(t.getMethod()).bytes(t.getArgs()).i64(t.getValue()).i64(t.getGasLimit())
                    .i64(t.getFee()).i64(t.getNonce());
            List<ByteBuffer> access = t.getAccessList();
            w.bool(access != null);
            if (access != null) {
                w.i32(access.size());
                for (ByteBuffer key : access) {
                    w.bytes(key);
                }
            }
            signatureAt = w.size();
            if (withSignatures) {
                w.bytes(t.getSignature());
            }
        } else {
            throw new IllegalArgumentException("unknown transaction body " + body);
        }
        return signatureAt;
    }

    private static void outputs(CanonicalWriter w, List<TxOutput> outputs) {
        w.i32(outputs.size());
        for (TxOutput out : outputs) {
            w.i64(out.getAmount()).bytes(out.getLock());
        }
    }
}
