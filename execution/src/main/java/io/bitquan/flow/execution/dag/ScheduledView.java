package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What the VM sees on the scheduled path: the running transaction's predicted keys, read and
 * written in place in the run's per-key value slots (the schedule gives the transaction its
 * written keys exclusively while it runs, and its read-only keys shared with other readers). A
 * key outside the prediction, or a write to a key predicted read-only, throws
 * {@link Misprediction}.
 *
 * <p>Keys built once per block (round 9): the rules ask the view for the keys they need
 * ({@link #accountKey}, {@link #utxoKey}) and get the instance the prediction built, hashed and
 * the graph interned, after comparing its whole encoding with the bytes the rules would have
 * built it from (tag, 32 address or txid bytes, output index): a prediction that is wrong hands
 * nothing, the rules build their own key, and reading it throws {@link Misprediction} as before.
 * The view then resolves a handed key to its access (and so to its slot by key id) by identity,
 * without reading the key object: the VM neither rebuilds, re-hashes nor compares a predicted key.
 * Key binding hashes (round 10) the same way: the prediction pass hashed each native
 * transaction's public keys ({@link KeyBinding}), and {@link #publicKeyHash} hands a hash only
 * for a key equal byte for byte to the one hashed, else hashes.
 * One per worker, re-aimed at each transaction; single-threaded.
 */
final class ScheduledView implements StateAccess {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final long ACCOUNT_TAG = StateKey.account(new byte[StateKey.ADDRESS_BYTES]).encodedUnsafe()[0] & 0xFF;
    private static final long UTXO_TAG = StateKey.utxo(new byte[32], 0).encodedUnsafe()[0] & 0xFF;
    private static final int ACCOUNT_LENGTH = 1 + StateKey.ADDRESS_BYTES;
    private static final int UTXO_LENGTH = 1 + 32 + 4;
    private final DagRun run;
    private final AccessDag dag;
    private int first;
    private int end;
    /** Key ids this worker wrote (with repeats), for the run's write set. */
    private int[] writtenIds = new int[64];
    private int writes;
    /** The key last handed to the VM and its access (a read and a write of one key follow each other). */
    private StateKey handed;
    private int handedAccess;
    /** The running transaction's public keys hashed by the prediction (round 10), or null, and where the next scan starts. */
    private KeyBinding[] bindings;
    private int nextBinding;

    ScheduledView(DagRun run, AccessDag dag) {
        this.run = run;
        this.dag = dag;
    }

    void aimAt(int tx) {
        first = dag.accessStart[tx];
        end = dag.accessStart[tx + 1];
        handed = null;
        bindings = dag.bindings(tx);
        nextBinding = 0;
    }

    /**
     * The hash the prediction pass made of exactly these public-key bytes for this transaction,
     * else the hash made here ({@link StateAccess#publicKeyHash}'s default). The rules present
     * their keys in the order the prediction bound them (a transfer's one key; a spend's inputs),
     * so the scan starts at the binding after the one handed last: one 32-byte compare instead
     * of a BLAKE3 hash. Bytes that differ from every binding (a prediction for other bytes)
     * are hashed here: the handed hash is never used for them.
     */
    @Override
    public byte[] publicKeyHash(byte[] publicKey) {
        KeyBinding[] b = bindings;
        if (b != null) {
            for (int i = 0, at = nextBinding; i < b.length; i++, at++) {
                if (at == b.length) {
                    at = 0;
                }
                byte[] hash = b[at].hashOf(publicKey);
                if (hash != null) {
                    nextBinding = at + 1;
                    return hash;
                }
            }
        }
        return StateAccess.super.publicKeyHash(publicKey);
    }

    @Override
    public StateKey accountKey(byte[] address) {
        StateKey held = address.length == StateKey.ADDRESS_BYTES ? predicted(ACCOUNT_TAG, ACCOUNT_LENGTH, address, 0) : null;
        return held != null ? held : StateKey.account(address);
    }

    @Override
    public StateKey utxoKey(byte[] txId, int index) {
        StateKey held = txId.length == 32 ? predicted(UTXO_TAG, UTXO_LENGTH, txId, index) : null;
        return held != null ? held : StateKey.utxo(txId, index);
    }

    /**
     * The running transaction's predicted key whose encoding is exactly {@code tag | bytes(32)}
     * (and {@code | index} big-endian for a UTXO key), or null. The scan starts after the access
     * of the key handed last, wrapping around: the rules ask for their keys in the order the
     * prediction lists them (sender then recipient; inputs, then outputs by index), so the first
     * candidate is almost always the one and no other key object is read (rejecting candidates
     * by the key index's dense prefixes instead reads one more line per match). A candidate's prefix (tag and the first 7 bytes) is
     * compared first, then the rest of its encoding, so a returned key equals the one the rules
     * would build.
     */
    private StateKey predicted(long tag, int length, byte[] bytes, int index) {
        long wanted = (tag << 56) | ((long) LONG_BE.get(bytes, 0) >>> 8);
        int[] accessKey = dag.accessKey;
        KeyIndex keys = dag.keys;
        int from = handed == null ? first : handedAccess + 1;
        for (int i = 0, count = end - first, a = from; i < count; i++, a++) {
            if (a == end) {
                a = first;
            }
            StateKey k = keys.key(accessKey[a]);
            if (k.prefix() == wanted) {
                byte[] e = k.encodedUnsafe();
                if (e.length == length && Arrays.equals(e, 8, 33, bytes, 7, 32)
                        && (length == ACCOUNT_LENGTH || (int) INT_BE.get(e, 33) == index)) {
                    handed = k;
                    handedAccess = a;
                    return k;
                }
            }
        }
        return null;
    }

    @Override
    public StateValue read(StateKey key) {
        return run.value(dag.accessKey[accessOf(key)]);
    }

    @Override
    public void write(StateKey key, StateValue value) {
        int a = accessOf(key);
        if (!dag.accessWrites[a]) {
            throw Misprediction.INSTANCE; // predicted as read only: readers of it may be running
        }
        int id = dag.accessKey[a];
        run.set(id, value);
        if (writes == writtenIds.length) {
            writtenIds = java.util.Arrays.copyOf(writtenIds, writes * 2);
        }
        writtenIds[writes++] = id;
    }

    /** Marks every key id this view wrote (after the run); how many it marked that were not marked yet. */
    int markWritten(boolean[] written) {
        int marked = 0;
        for (int i = 0; i < writes; i++) {
            int id = writtenIds[i];
            if (!written[id]) {
                written[id] = true;
                marked++;
            }
        }
        return marked;
    }

    /**
     * The access of {@code key} among the transaction's: the key just handed, else a linear scan
     * by identity (a handed key: the key objects are not read), else by equality (a key the VM
     * built itself: a contract's, or one the prediction does not hold). A transaction predicts
     * 1-6 keys, fewer compares than one hash lookup costs.
     */
    private int accessOf(StateKey key) {
        if (key == handed) {
            return handedAccess;
        }
        int[] accessKey = dag.accessKey;
        KeyIndex keys = dag.keys;
        for (int a = first; a < end; a++) {
            if (keys.key(accessKey[a]) == key) {
                return a;
            }
        }
        for (int a = first; a < end; a++) {
            if (keys.key(accessKey[a]).equals(key)) {
                return a;
            }
        }
        throw Misprediction.INSTANCE;
    }
}
