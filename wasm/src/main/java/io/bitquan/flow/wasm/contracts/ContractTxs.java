package io.bitquan.flow.wasm.contracts;

import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.KeyPair;

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
        return new Transaction(ContractCall.newBuilder()
                .setSender(Bytes.wrap(sender.address())).setPublicKey(Bytes.wrap(sender.publicKey()))
                .setContract(Bytes.wrap(contract)).setMethod(method).setArgs(Bytes.wrap(args)).setValue(value)
                .setGasLimit(gasLimit).setFee(fee).setNonce(nonce).setAccessList(null)
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
