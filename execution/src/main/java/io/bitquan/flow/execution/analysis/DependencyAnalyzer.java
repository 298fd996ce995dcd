package io.bitquan.flow.execution.analysis;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.BlockLimits;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Predicts each transaction's access set from its body and derives the block's dependency
 * structure, before any execution:
 * <ul>
 *   <li>UTXO transfer: reads and deletes its inputs {@code utxo(prevTxId, prevIndex)}, reads
 *       (BIP30 check) and creates its outputs {@code utxo(txId, i)}. An input spending an output
 *       created earlier in the same block is an explicit dependency on that transaction.</li>
 *   <li>Coinbase: creates its outputs.</li>
 *   <li>Account transfer: reads and writes sender and recipient accounts.</li>
 *   <li>Contract call: with a declared access list (EIP-2930 style), complete: the keys the
 *       runtime touches on its own (see {@link #contractCall}) plus every declared key, read and
 *       written. Without a list, incomplete: the contract may touch anything.</li>
 *   <li>Contract deploy: the sender account; the rest is unknown.</li>
 * </ul>
 * Pure and single-threaded; malformed fields simply contribute no key (the VM rejects them).
 */
public final class DependencyAnalyzer {
    private DependencyAnalyzer() {}

    public static AccessSet accessSet(PreparedTx ptx) {
        Object body = ptx.body();
        if (body instanceof UtxoTransfer t) {
            List<StateKey> keys = new ArrayList<>(t.getInputs().size() + t.getOutputs().size());
            for (TxInput in : t.getInputs()) {
                ByteBuffer prev = in.getPrevTxId();
                if (prev.remaining() == 32) {
                    keys.add(StateKey.utxo(prev, in.getPrevIndex()));
                }
            }
            for (int i = 0; i < t.getOutputs().size(); i++) {
                keys.add(StateKey.utxo(ptx.txId(), i));
            }
            return new AccessSet(keys, keys, true);
        }
        if (body instanceof AccountTransfer t) {
            List<StateKey> keys = new ArrayList<>(2);
            addAccount(keys, t.getSender());
            addAccount(keys, t.getRecipient());
            return new AccessSet(keys, keys, true);
        }
        if (body instanceof Coinbase cb) {
            List<StateKey> keys = new ArrayList<>(cb.getOutputs().size());
            for (int i = 0; i < cb.getOutputs().size(); i++) {
                keys.add(StateKey.utxo(ptx.txId(), i));
            }
            return new AccessSet(keys, keys, true);
        }
        if (body instanceof ContractCall c) {
            return contractCall(c);
        }
        if (body instanceof ContractDeploy d) {
            List<StateKey> keys = new ArrayList<>(1);
            addAccount(keys, d.getSender());
            return new AccessSet(keys, keys, false);
        }
        return AccessSet.UNKNOWN;
    }

    /**
     * Whether {@link #accessSet} predicts {@code ptx} completely, read off its type and, for a
     * contract call, its declared list's presence and size, without building a key (round 13: the
     * payoff check reads a block's kind from this before any sample; building the prefix's access
     * sets for it cost about what the sample does on listed-call blocks). Equal to
     * {@code accessSet(ptx).complete()} by construction: {@link #contractCall} takes its flag from
     * {@link #listComplete}.
     */
    public static boolean predictsCompletely(PreparedTx ptx) {
        Object body = ptx.body();
        if (body instanceof AccountTransfer || body instanceof UtxoTransfer || body instanceof Coinbase) {
            return true;
        }
        return body instanceof ContractCall c && listComplete(c);
    }

    /** A declared access list within {@link BlockLimits#MAX_ACCESS_LIST}: the call's prediction is complete. */
    private static boolean listComplete(ContractCall c) {
        List<ByteBuffer> declared = c.getAccessList();
        return declared != null && declared.size() <= BlockLimits.MAX_ACCESS_LIST;
    }

    /**
     * A contract call's prediction. What {@code WasmContractRuntime} touches whatever the code
     * does: the sender's account (fee, nonce, refund, value), the called contract's {@code CODE}
     * key (read only: a call never writes code) and, when {@code value > 0}, the contract's own
     * account (credited the value). Everything the contract code touches (its storage slots, the
     * accounts of {@code balance}/{@code transfer}) is the sender's to declare. A declared list
     * that misses a touched key is not an error: the schedule detects it and the block re-runs
     * optimistically, with the same result. Entries that do not parse are ignored (StructureRules
     * rejects them before execution anyway); a list above {@link BlockLimits#MAX_ACCESS_LIST}
     * (which StructureRules also rejects) counts as no list, so the prediction stays bounded.
     */
    private static AccessSet contractCall(ContractCall c) {
        List<ByteBuffer> declared = c.getAccessList();
        List<StateKey> writes = new ArrayList<>(2 + (declared == null ? 0 : declared.size()));
        addAccount(writes, c.getSender());
        ByteBuffer contract = c.getContract();
        boolean addressed = contract.remaining() == StateKey.ADDRESS_BYTES;
        if (addressed && c.getValue() > 0) {
            writes.add(StateKey.account(contract));
        }
        boolean complete = listComplete(c);
        if (complete) {
            for (ByteBuffer entry : declared) {
                try {
                    writes.add(StateKey.decode(Bytes.of(entry)));
                } catch (IllegalArgumentException malformed) {
                    // a hint only: ignore what does not parse
                }
            }
        }
        if (!addressed) {
            return new AccessSet(writes, writes, complete);
        }
        List<StateKey> reads = new ArrayList<>(writes.size() + 1);
        reads.addAll(writes);
        reads.add(StateKey.code(Bytes.of(contract)));
        return new AccessSet(reads, writes, complete);
    }

    private static void addAccount(List<StateKey> keys, ByteBuffer address) {
        if (address.remaining() == StateKey.ADDRESS_BYTES) {
            keys.add(StateKey.account(address));
        }
    }

    /**
     * Predicted dependencies: for each transaction, the last earlier writer of each key it reads
     * (the keys of {@link #accessSet}). Keys are compared by 64-bit fingerprints ({@link KeyPrints}:
     * native transactions are fingerprinted straight from their fields, without building keys),
     * which is what makes the per-block contention sample cheap.
     */
    public static BlockDependencies analyze(List<PreparedTx> txs) {
        int n = txs.size();
        int[][] preds = new int[n][];
        int[] depth = new int[n];
        KeyPrints.LastWriters lastWriter = new KeyPrints.LastWriters(n * 3);
        KeyPrints.Prints reads = new KeyPrints.Prints();
        KeyPrints.Prints writes = new KeyPrints.Prints();
        int critical = n == 0 ? 0 : 1;
        int dependent = 0;
        int incomplete = 0;
        int[] scratch = new int[8];
        for (int j = 0; j < n; j++) {
            KeyPrints.Prints own = prints(txs.get(j), reads, writes);
            if (!reads.complete) {
                incomplete++;
            }
            int count = 0;
            int d = 0;
            for (int r = 0; r < reads.count; r++) {
                int writer = lastWriter.get(reads.values[r]);
                if (writer >= 0 && !contains(scratch, count, writer)) {
                    if (count == scratch.length) {
                        scratch = java.util.Arrays.copyOf(scratch, count * 2);
                    }
                    scratch[count++] = writer;
                    d = Math.max(d, depth[writer]);
                }
            }
            depth[j] = d + 1;
            critical = Math.max(critical, depth[j]);
            if (count > 0) {
                int[] p = java.util.Arrays.copyOf(scratch, count);
                java.util.Arrays.sort(p);
                reverse(p);
                preds[j] = p;
                dependent++;
            }
            for (int w = 0; w < own.count; w++) {
                lastWriter.put(own.values[w], j);
            }
        }
        return new BlockDependencies(preds, critical, dependent, incomplete);
    }

    /**
     * Fills {@code reads} with the fingerprints of the keys {@link #accessSet} reads and returns
     * the list holding those it writes: {@code reads} itself for native transactions (they write
     * what they read), else {@code writes}. Same keys, same order, as {@link #accessSet};
     * {@code reads.complete} says whether the prediction is complete, as {@link AccessSet#complete}.
     */
    private static KeyPrints.Prints prints(PreparedTx ptx, KeyPrints.Prints reads, KeyPrints.Prints writes) {
        reads.clear();
        writes.clear();
        reads.complete = true;
        Object body = ptx.body();
        byte[] txId = ptx.txId();
        boolean ownId = txId != null && txId.length == 32;
        if (body instanceof AccountTransfer t) {
            if (t.getSender().remaining() == StateKey.ADDRESS_BYTES) {
                reads.add(KeyPrints.account(t.getSender()));
            }
            if (t.getRecipient().remaining() == StateKey.ADDRESS_BYTES) {
                reads.add(KeyPrints.account(t.getRecipient()));
            }
            return reads;
        }
        if (body instanceof UtxoTransfer t && ownId) {
            for (TxInput in : t.getInputs()) {
                ByteBuffer prev = in.getPrevTxId();
                if (prev.remaining() == 32) {
                    reads.add(KeyPrints.utxo(prev, in.getPrevIndex()));
                }
            }
            for (int i = 0; i < t.getOutputs().size(); i++) {
                reads.add(KeyPrints.utxo(txId, i));
            }
            return reads;
        }
        if (body instanceof Coinbase cb && ownId) {
            for (int i = 0; i < cb.getOutputs().size(); i++) {
                reads.add(KeyPrints.utxo(txId, i));
            }
            return reads;
        }
        AccessSet set = accessSet(ptx);
        reads.complete = set.complete();
        for (StateKey key : set.reads()) {
            reads.add(KeyPrints.of(key));
        }
        for (StateKey key : set.writes()) {
            writes.add(KeyPrints.of(key));
        }
        return writes;
    }

    private static boolean contains(int[] a, int count, int v) {
        for (int i = 0; i < count; i++) {
            if (a[i] == v) {
                return true;
            }
        }
        return false;
    }

    private static void reverse(int[] a) {
        for (int i = 0, k = a.length - 1; i < k; i++, k--) {
            int t = a[i];
            a[i] = a[k];
            a[k] = t;
        }
    }
}
