package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Signature verification, a step of its own: it needs no state, so it runs before execution and
 * in parallel (in the Flink job, in the keyed preparers). Whether the key is the one that owns
 * the coins or the account is the executor's check (key binding), not this one's.
 */
public final class SignatureRules {
    private SignatureRules() {}

    /** Returns {@code null} when every signature of the transaction verifies, else the violation. */
    public static RuleViolation check(PreparedTx ptx, String chainId, SignatureScheme scheme) {
        Object body = ptx.body();
        byte[] sighash = TxCodec.sighash(chainId, ptx.txId());
        if (body instanceof UtxoTransfer t) {
            List<TxInput> inputs = t.getInputs();
            for (int i = 0; i < inputs.size(); i++) {
                TxInput in = inputs.get(i);
                if (!scheme.verifySafely(Bytes.of(in.getPublicKey()), TxCodec.inputMessage(sighash, i), Bytes.of(in.getSignature()))) {
                    return bad(ptx, "input " + i);
                }
            }
            return null;
        }
        ByteBuffer publicKey;
        ByteBuffer signature;
        if (body instanceof AccountTransfer t) {
            publicKey = t.getPublicKey();
            signature = t.getSignature();
        } else if (body instanceof ContractDeploy t) {
            publicKey = t.getPublicKey();
            signature = t.getSignature();
        } else if (body instanceof ContractCall t) {
            publicKey = t.getPublicKey();
            signature = t.getSignature();
        } else {
            return null; // coinbase: nothing is signed
        }
        return scheme.verifySafely(Bytes.of(publicKey), sighash, Bytes.of(signature)) ? null : bad(ptx, "sender");
    }

    private static RuleViolation bad(PreparedTx ptx, String what) {
        return new RuleViolation(Rule.SIGNATURE_INVALID, "tx " + ptx.index() + " " + what + " signature does not verify");
    }
}
