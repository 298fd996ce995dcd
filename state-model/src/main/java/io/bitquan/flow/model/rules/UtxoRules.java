package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.UtxoEntry;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * UTXO rules. A transfer is valid iff it has inputs and outputs, no input repeats, every input
 * exists and is unspent at this position in the block (outputs created by earlier transactions
 * of the same block count), the presented key hashes to the lock, coinbase inputs are mature,
 * every amount and sum is in range, no output overwrites an existing one, and sum(in) >= sum(out).
 * The difference is the fee. Signatures are verified separately ({@link SignatureRules}).
 */
public final class UtxoRules {
    private UtxoRules() {}

    public static TxOutcome applyTransfer(PreparedTx ptx, long height, ChainConfig config, StateAccess state) {
        UtxoTransfer tx = (UtxoTransfer) ptx.body();
        List<TxInput> inputs = tx.getInputs();
        if (inputs.isEmpty() || tx.getOutputs().isEmpty()) {
            throw new RuleViolation(Rule.UTXO_EMPTY, "tx " + ptx.index() + " has no inputs or no outputs");
        }
        StateKey[] keys = new StateKey[inputs.size()];
        Set<StateKey> seen = new HashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            TxInput in = inputs.get(i);
            byte[] prevTxId = Bytes.of(in.getPrevTxId());
            if (prevTxId.length != 32) {
                throw new RuleViolation(Rule.TX_MALFORMED, "tx " + ptx.index() + " input " + i + " prevTxId is not 32 bytes");
            }
            keys[i] = state.utxoKey(prevTxId, in.getPrevIndex());
            if (!seen.add(keys[i])) {
                throw new RuleViolation(Rule.UTXO_DUPLICATE_INPUT, "tx " + ptx.index() + " spends " + keys[i] + " twice");
            }
        }
        long sumIn = 0;
        for (int i = 0; i < inputs.size(); i++) {
            StateValue value = state.read(keys[i]);
            if (!(value instanceof UtxoEntry entry)) {
                throw new RuleViolation(Rule.UTXO_MISSING, "tx " + ptx.index() + " input " + i + " " + keys[i] + " is missing or spent");
            }
            byte[] keyHash = state.publicKeyHash(Bytes.of(inputs.get(i).getPublicKey()));
            if (!Arrays.equals(keyHash, entry.lock())) {
                throw new RuleViolation(Rule.UTXO_LOCK_MISMATCH, "tx " + ptx.index() + " input " + i + " key does not match the lock");
            }
            if (entry.coinbase() && height - entry.height() < config.coinbaseMaturity()) {
                throw new RuleViolation(Rule.UTXO_IMMATURE_COINBASE, "tx " + ptx.index() + " input " + i
                        + " spends a coinbase output of height " + entry.height() + " at height " + height
                        + " (maturity " + config.coinbaseMaturity() + ")");
            }
            sumIn = Amounts.add(sumIn, entry.amount(), "input sum");
        }
        long sumOut = createOutputs(ptx, tx.getOutputs(), height, false, state);
        if (sumOut > sumIn) {
            throw new RuleViolation(Rule.UTXO_OVERSPEND, "tx " + ptx.index() + " outputs " + sumOut + " exceed inputs " + sumIn);
        }
        for (StateKey key : keys) {
            state.write(key, null);
        }
        return TxOutcome.ok(sumIn - sumOut);
    }

    /** Creates the coinbase's outputs; its claim is checked after the block ({@link BlockRules}). */
    public static TxOutcome applyCoinbase(PreparedTx ptx, long height, StateAccess state) {
        Coinbase cb = (Coinbase) ptx.body();
        createOutputs(ptx, cb.getOutputs(), height, true, state);
        return TxOutcome.ok(0);
    }

    public static long outputSum(List<TxOutput> outputs) {
        long sum = 0;
        for (TxOutput out : outputs) {
            sum = Amounts.add(sum, out.getAmount(), "output sum");
        }
        return sum;
    }

    private static long createOutputs(PreparedTx ptx, List<TxOutput> outputs, long height, boolean coinbase, StateAccess state) {
        long sum = 0;
        for (int i = 0; i < outputs.size(); i++) {
            TxOutput out = outputs.get(i);
            byte[] lock = Bytes.of(out.getLock());
            if (lock.length != 32) {
                throw new RuleViolation(Rule.TX_MALFORMED, "tx " + ptx.index() + " output " + i + " lock is not 32 bytes");
            }
            sum = Amounts.add(sum, Amounts.checkRange(out.getAmount(), "output amount"), "output sum");
            StateKey key = state.utxoKey(ptx.txId(), i);
            // BIP30: an output never overwrites an unspent one.
            if (state.read(key) != null) {
                throw new RuleViolation(Rule.UTXO_OUTPUT_EXISTS, "tx " + ptx.index() + " output " + i + " already exists");
            }
            state.write(key, new UtxoEntry(out.getAmount(), height, coinbase, lock));
        }
        return sum;
    }
}
