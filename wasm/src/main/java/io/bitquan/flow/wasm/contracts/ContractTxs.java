package io.bitquan.flow.wasm.contracts;

import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.KeyPair;
import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Builds and signs contract transactions. */
public final class ContractTxs {
    private ContractTxs() {}

    public static Transaction deploy(KeyPair sender, long nonce, byte[] code, byte[] args, long gasLimit, long fee) {
        return new Transaction(ContractDeploy.newBuilder()
                .setSender(Bytes.wrap(sender.address())).setPublicKey(Bytes.wrap(sender.publicKey()))
                .setCode(Bytes.wrap(code)).setConstructorArgs(Bytes.wrap(args))
                .setGasLimit(gasLimit).setFee(fee).setNonce(nonce).setSignature(Bytes.wrap(new byte[0])).build());
    }

    public static Transaction call(KeyPair sender, long nonce, byte[] contract, String method, byte[] args,
                                   long value, long gasLimit, long fee) {
        return call(sender, nonce, contract, method, args, value, gasLimit, fee, null);
    }

    /**
     * A call with a declared access list ({@code null}: none). The runtime's own keys (sender,
     * the contract's code, its account when value moves) need not be declared; see
     * {@code DependencyAnalyzer}. A scheduling hint only: a wrong list costs time, not the result.
     */
    public static Transaction call(KeyPair sender, long nonce, byte[] contract, String method, byte[] args,
                                   long value, long gasLimit, long fee, List<StateKey> accessList) {
        List<ByteBuffer> declared = null;
        if (accessList != null) {
            declared = new ArrayList<>(accessList.size());
            for (StateKey key : accessList) {
                declared.add(Bytes.wrap(key.encoded()));
            }
        }
        return new Transaction(ContractCall.newBuilder()
                .setSender(Bytes.wrap(sender.address())).setPublicKey(Bytes.wrap(sender.publicKey()))
                .setContract(Bytes.wrap(contract)).setMethod(method).setArgs(Bytes.wrap(args)).setValue(value)
                .setGasLimit(gasLimit).setFee(fee).setNonce(nonce).setAccessList(declared)
                .setSignature(Bytes.wrap(new byte[0])).build());
    }

    /** Signs the transaction's sighash with the sender's key, in place; returns it. */
    public static Transaction sign(Transaction tx, KeyPair sender, String chainId) {
        byte[] sighash = TxCodec.sighash(chainId, TxCodec.txId(tx));
        Object body = tx.getBody();
        if (body instanceof ContractDeploy d) {
            d.setSignature(Bytes.wrap(sender.sign(sighash)));
        } else if (body instanceof ContractCall c) {
            c.setSignature(Bytes.wrap(sender.sign(sighash)));
        } else {
            throw new IllegalArgumentException("not a contract transaction");
        }
        return tx;
    }
}
