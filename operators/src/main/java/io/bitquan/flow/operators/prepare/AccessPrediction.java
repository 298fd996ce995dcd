package io.bitquan.flow.operators.prepare;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The state keys a transaction will most likely read, known from its body alone: spent
 * outpoints, sender and recipient accounts, a called contract's code and declared access list.
 * A hint only (the executor prefetches them); a wrong or missing prediction costs a read, never
 * correctness. Total: the preparer only asks for transactions that passed
 * {@code StructureRules}, and a field that is still not a well-formed id is simply no hint.
 */
public final class AccessPrediction {
    private AccessPrediction() {}

    public static List<StateKey> predict(Transaction tx) {
        List<StateKey> keys = new ArrayList<>(4);
        Object body = tx.getBody();
        if (body instanceof UtxoTransfer t) {
            for (TxInput in : t.getInputs()) {
                if (in.getPrevTxId().remaining() == StateKey.ADDRESS_BYTES) {
                    keys.add(StateKey.utxo(Bytes.of(in.getPrevTxId()), in.getPrevIndex()));
                }
            }
        } else if (body instanceof AccountTransfer t) {
            addAccount(keys, t.getSender());
            addAccount(keys, t.getRecipient());
        } else if (body instanceof ContractDeploy t) {
            addAccount(keys, t.getSender());
        } else if (body instanceof ContractCall t) {
            addAccount(keys, t.getSender());
            if (t.getContract().remaining() == StateKey.ADDRESS_BYTES) {
                keys.add(StateKey.code(Bytes.of(t.getContract())));
            }
            if (t.getAccessList() != null) {
                for (ByteBuffer k : t.getAccessList()) {
                    try {
                        keys.add(StateKey.decode(Bytes.of(k)));
                    } catch (RuntimeException ignored) {
                        // a malformed hint is just not a hint
                    }
                }
            }
        }
        return keys;
    }

    private static void addAccount(List<StateKey> keys, ByteBuffer address) {
        if (address.remaining() == StateKey.ADDRESS_BYTES) {
            keys.add(StateKey.account(Bytes.of(address)));
        }
    }
}
