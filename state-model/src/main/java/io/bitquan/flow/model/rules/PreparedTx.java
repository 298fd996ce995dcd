package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.TxCodec;

/**
 * A decoded transaction with the hashes every later step needs, computed once by the prepare
 * step (which may run on another machine than the executor).
 */
public record PreparedTx(int index, Transaction tx, byte[] txId, byte[] txHash) {

    public static PreparedTx of(int index, Transaction tx) {
        byte[][] idAndHash = TxCodec.idAndHash(tx); // one encoding, the id's bytes hashed once
        return new PreparedTx(index, tx, idAndHash[0], idAndHash[1]);
    }

    public Object body() {
        return tx.getBody();
    }

    public boolean isCoinbase() {
        return tx.getBody() instanceof Coinbase;
    }
}
