package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.TxOutcome;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Receipts of an accepted block, one per transaction in block order (what the receipts root hashes). */
public final class Receipts {
    /** The schema default of Receipt.sequence and Receipt.resultSequence (set by the feeds, not here). */
    static final long NO_SEQUENCE = -1L;

    private Receipts() {}

    public static List<Receipt> of(BlockHeader header, List<PreparedTx> txs, List<TxOutcome> outcomes) {
        List<Receipt> receipts = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            TxOutcome o = outcomes.get(i);
            List<ByteBuffer> events = new ArrayList<>(o.events().size());
            for (byte[] event : o.events()) {
                events.add(Bytes.wrap(event));
            }
            // The all-args constructor, not the builder: per receipt the builder validated every field
            // and deep-copied the two defaults (a visible share of the executor's time). The record
            // is the same: sequence and resultSequence get their schema default (-1) as with build().
            receipts.add(new Receipt(header.getChainId(), header.getHeight(), i, Bytes.wrap(txs.get(i).txId()),
                    o.success(), o.status(), o.fee(), o.gasUsed(), events, NO_SEQUENCE, NO_SEQUENCE));
        }
        return receipts;
    }

    /**
     * The receipts root's leaf of transaction {@code txIndex}: the bytes
     * {@code BlockHashes.encodeReceipt} gives for its receipt, written straight from the outcome
     * (no Receipt record). The Flink executor ships these and leaves the root (BLAKE3 Merkle) and
     * the feed's Avro encoding to the committer, off its serial thread.
     */
    public static byte[] leaf(int txIndex, byte[] txId, TxOutcome o) {
        byte[] status = o.status().getBytes(StandardCharsets.UTF_8);
        CanonicalWriter w = new CanonicalWriter(leafSize(txId, o, status));
        writeLeaf(w, txIndex, txId, o, status);
        return w.toByteArray();
    }

    /** Bytes of {@link #leaf}, given the outcome's status as UTF-8. */
    public static int leafSize(byte[] txId, TxOutcome o, byte[] status) {
        int size = 4 + 4 + txId.length + 1 + 4 + status.length + 8 + 8 + 4;
        for (byte[] event : o.events()) {
            size += 4 + event.length;
        }
        return size;
    }

    /** Writes {@link #leaf}'s bytes to {@code w} (a caller packing many leaves into one buffer). */
    public static void writeLeaf(CanonicalWriter w, int txIndex, byte[] txId, TxOutcome o, byte[] status) {
        w.i32(txIndex)
                .bytes(txId)
                .bool(o.success())
                .bytes(status)
                .i64(o.fee())
                .i64(o.gasUsed())
                .i32(o.events().size());
        for (byte[] event : o.events()) {
            w.bytes(event);
        }
    }
}
