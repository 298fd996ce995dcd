package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.analysis.DependencyAnalyzer;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The predictions of native transactions (account transfers, UTXO spends, coinbases) built
 * straight from their fields: exactly the keys, order and write flags that
 * {@link DependencyAnalyzer#accessSet} followed by the graph's de-duplication gives, without the
 * access set's lists and the copies in between. Every key of a native transaction is read and
 * written, so the write flags are one shared all-true array per length. The prediction pass runs
 * for every transaction of every scheduled block, on the path of a light transfer whose whole
 * execution costs about half a microsecond, so its allocations count.
 */
final class NativePrediction {
    /** Shared all-true write flags by length (never written: the graph only reads them). */
    private static final boolean[][] ALL_WRITES = new boolean[17][];

    static {
        for (int n = 0; n < ALL_WRITES.length; n++) {
            ALL_WRITES[n] = new boolean[n];
            Arrays.fill(ALL_WRITES[n], true);
        }
    }

    private NativePrediction() {
    }

    /** The prediction, or null when the transaction is not a native one of a well-formed shape (then the general path decides). */
    static AccessDag.Prediction of(PreparedTx ptx) {
        return of(ptx, null, new KeyHasher());
    }

    /**
     * As {@link #of(PreparedTx)}, with an account transfer's base values read from {@code base}
     * when it is not null ({@link AccessDag.Prediction#base}): the transfer rules read both keys
     * (the sender's, and the recipient's to credit it), so the read is made once either way, here
     * or in the run, and here it is split evenly over the workers while a transfer block's run is
     * lopsided (worker 0 runs 60-80 % of it). Spends and coinbases are not read here: their run
     * is already even, and the prediction ends in a barrier a late worker holds up (round 10
     * measured binding spends' hashes there slower on utxo, 7 of 7 launches); the run reads them.
     * {@code hasher}: the chunk's hash state for the transfer's key binding ({@link KeyHasher}).
     */
    static AccessDag.Prediction of(PreparedTx ptx, StateView base, KeyHasher hasher) {
        Object body = ptx.body();
        if (body instanceof AccountTransfer t) {
            ByteBuffer sender = t.getSender();
            ByteBuffer recipient = t.getRecipient();
            if (sender.remaining() != StateKey.ADDRESS_BYTES || recipient.remaining() != StateKey.ADDRESS_BYTES) {
                return null;
            }
            StateKey from = StateKey.account(sender);
            StateKey to = StateKey.account(recipient);
            StateKey[] keys = from.equals(to) ? new StateKey[] {from} : new StateKey[] {from, to};
            return new AccessDag.Prediction(keys, allWrites(keys.length), keys.length,
                    new KeyBinding[] {new KeyBinding(Bytes.of(t.getPublicKey()), hasher)}, read(base, keys));
        }
        byte[] txId = ptx.txId();
        if (txId == null || txId.length != 32) {
            return null;
        }
        if (body instanceof UtxoTransfer t) {
            List<TxInput> inputs = t.getInputs();
            int outputs = t.getOutputs().size();
            StateKey[] keys = new StateKey[inputs.size() + outputs];
            int count = 0;
            for (TxInput in : inputs) {
                ByteBuffer prev = in.getPrevTxId();
                if (prev.remaining() == 32) {
                    count = addDistinct(keys, count, StateKey.utxo(prev, in.getPrevIndex()));
                }
            }
            int firstOutput = count; // the outputs kept after it are one txid with rising indices: ascending keys
            for (int i = 0; i < outputs; i++) {
                count = addDistinct(keys, count, StateKey.utxo(txId, i));
            }
            // No key bindings for spends (round 10, measured): their run is already even, and with
            // the input keys hashed here the utxo block at 2 workers was behind main in 7 of 7
            // alternated launches (median 1.20x against 1.44x); the rules hash them in the run.
            return prediction(keys, count, firstOutput);
        }
        if (body instanceof Coinbase cb) {
            int outputs = cb.getOutputs().size();
            StateKey[] keys = new StateKey[outputs];
            for (int i = 0; i < outputs; i++) {
                keys[i] = StateKey.utxo(txId, i); // distinct: the output index differs
            }
            return prediction(keys, outputs, 0);
        }
        return null;
    }

    private static AccessDag.Prediction prediction(StateKey[] keys, int count, int ascendingFrom) {
        return new AccessDag.Prediction(count == keys.length ? keys : Arrays.copyOf(keys, count), allWrites(count),
                Math.min(ascendingFrom, count));
    }

    /** The keys' base values ({@link AccessDag#ABSENT} for none), or null without a base. */
    private static Object[] read(StateView base, StateKey[] keys) {
        if (base == null) {
            return null;
        }
        Object[] values = new Object[keys.length];
        for (int i = 0; i < keys.length; i++) {
            StateValue v = base.read(keys[i]);
            values[i] = v == null ? AccessDag.ABSENT : v;
        }
        return values;
    }

    /** A hostile spend may name one input twice: the graph wants each key once. */
    private static int addDistinct(StateKey[] keys, int count, StateKey key) {
        for (int j = 0; j < count; j++) {
            if (keys[j].equals(key)) {
                return count;
            }
        }
        keys[count] = key;
        return count + 1;
    }

    private static boolean[] allWrites(int n) {
        if (n < ALL_WRITES.length) {
            return ALL_WRITES[n];
        }
        boolean[] w = new boolean[n];
        Arrays.fill(w, true);
        return w;
    }
}
