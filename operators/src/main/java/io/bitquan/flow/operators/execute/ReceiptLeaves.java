package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.Receipts;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.TxOutcome;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A block's receipts-root leaves packed as {@code Blobs.pack} packs them (count, then each
 * {@link Receipts#leaf} length-prefixed), written straight into one buffer of the exact size:
 * no array per leaf, no copy into the pack (the executor's serial thread builds this per block).
 */
final class ReceiptLeaves {
    private ReceiptLeaves() {}

    /** {@code Blobs.pack(leaves)} of {@code Receipts.leaf(i, txs[i].txId, outcomes[i])}, byte for byte. */
    static byte[] pack(List<PreparedTx> txs, List<TxOutcome> outcomes) {
        int n = txs.size();
        byte[][] statuses = new byte[n][];
        int[] sizes = new int[n];
        long total = 4;
        for (int i = 0; i < n; i++) {
            TxOutcome o = outcomes.get(i);
            statuses[i] = o.status().getBytes(StandardCharsets.UTF_8);
            sizes[i] = Receipts.leafSize(txs.get(i).txId(), o, statuses[i]);
            total += 4 + sizes[i];
        }
        CanonicalWriter w = new CanonicalWriter(Math.toIntExact(total));
        w.i32(n);
        for (int i = 0; i < n; i++) {
            w.i32(sizes[i]);
            Receipts.writeLeaf(w, i, txs.get(i).txId(), outcomes.get(i), statuses[i]);
        }
        return w.toByteArray();
    }
}
