package io.bitquan.flow.execution.generator;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.KeyPair;
import java.util.ArrayList;
import java.util.List;

/**
 * The transactions appended to a valid block to make its invalid variant. They only use the
 * spare key, its genesis coins and account, and the block's own coinbase, none of which the
 * valid chain ever spends, so the variant is invalid for exactly the intended reason and the
 * valid chain is the same with or without variants.
 */
final class InvalidVariants {
    private InvalidVariants() {}

    static List<Draft> build(InvalidKind kind, Draft coinbase, List<Coin> spareCoins, KeyPool keys) {
        KeyPair spare = keys.get(ChainGenerator.SPARE);
        return switch (kind) {
            case DOUBLE_SPEND -> List.of(spend(spareCoins.get(0), spare, keys, 0, false),
                    spend(spareCoins.get(0), spare, keys, 1, false));
            case BAD_SIGNATURE -> List.of(spend(spareCoins.get(1), spare, keys, 0, true));
            case IMMATURE_COINBASE_SPEND -> List.of(spend(new Coin(coinbase.txId, 0,
                    ((io.bitquan.flow.model.avro.Coinbase) coinbase.tx.getBody()).getOutputs().get(0).getAmount(),
                    ChainGenerator.MINER), keys.get(ChainGenerator.MINER), keys, 0, false));
            case OVERSPEND -> List.of(spend(spareCoins.get(2), spare, keys, spareCoins.get(2).amount() + 1, false));
            case BAD_NONCE -> List.of(badNonce(spare, keys));
        };
    }

    /**
     * Spends {@code coin} into one output of {@code amount} (0 = the coin's value minus a fee).
     * {@code amount} 1 gives a second spend of the same coin a different txId.
     */
    private static Draft spend(Coin coin, KeyPair owner, KeyPool keys, long amount, boolean corrupt) {
        long value = amount == 0 ? coin.amount() - 100 : amount == 1 ? coin.amount() - 200 : amount;
        TxInput input = TxInput.newBuilder().setPrevTxId(Bytes.wrap(coin.txId())).setPrevIndex(coin.index())
                .setPublicKey(Bytes.wrap(owner.publicKey())).setSignature(Draft.UNSIGNED).build();
        TxOutput output = TxOutput.newBuilder().setAmount(value).setLock(Bytes.wrap(keys.address(ChainGenerator.SPARE))).build();
        UtxoTransfer body = UtxoTransfer.newBuilder().setInputs(new ArrayList<>(List.of(input)))
                .setOutputs(new ArrayList<>(List.of(output))).build();
        return new Draft(new Transaction(body), List.of(owner), corrupt);
    }

    private static Draft badNonce(KeyPair spare, KeyPool keys) {
        AccountTransfer body = AccountTransfer.newBuilder()
                .setSender(Bytes.wrap(keys.address(ChainGenerator.SPARE))).setPublicKey(Bytes.wrap(spare.publicKey()))
                .setRecipient(Bytes.wrap(keys.address(ChainGenerator.MINER))).setAmount(1).setFee(1)
                .setNonce(7).setSignature(Draft.UNSIGNED).build();
        return new Draft(new Transaction(body), List.of(spare));
    }
}
