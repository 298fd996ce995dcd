package io.bitquan.flow.execution.generator;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.KeyPair;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A transaction built with empty signatures plus the keys that must sign it. The txId excludes
 * signatures, so later transactions can reference it before anything is signed, and a block's
 * drafts can then be signed in parallel.
 */
final class Draft {
    static final ByteBuffer UNSIGNED = ByteBuffer.wrap(new byte[0]);

    final Transaction tx;
    final byte[] txId;
    private final List<KeyPair> signers;
    /** Invalid variants only: flip a bit of the first signature after signing. */
    private final boolean corruptSignature;

    Draft(Transaction tx, List<KeyPair> signers) {
        this(tx, signers, false);
    }

    Draft(Transaction tx, List<KeyPair> signers, boolean corruptSignature) {
        this.tx = tx;
        this.txId = TxCodec.txId(tx);
        this.signers = signers;
        this.corruptSignature = corruptSignature;
    }

    /** A draft over an independent copy of the transaction (drafts are shared by a block and its variant). */
    Draft copy() {
        return new Draft(Transaction.newBuilder(tx).build(), signers, corruptSignature);
    }

    /** Fills in every signature (for input i of a UTXO transfer, signer i). */
    Transaction sign(String chainId) {
        byte[] sighash = TxCodec.sighash(chainId, txId);
        Object body = tx.getBody();
        if (body instanceof UtxoTransfer t) {
            List<TxInput> inputs = t.getInputs();
            for (int i = 0; i < inputs.size(); i++) {
                inputs.get(i).setSignature(Bytes.wrap(corrupt(signers.get(i).sign(TxCodec.inputMessage(sighash, i)), i)));
            }
        } else if (body instanceof AccountTransfer t) {
            t.setSignature(Bytes.wrap(corrupt(signers.get(0).sign(sighash), 0)));
        }
        return tx;
    }

    private byte[] corrupt(byte[] signature, int index) {
        if (corruptSignature && index == 0) {
            signature[signature.length / 2] ^= 0x01;
        }
        return signature;
    }
}
