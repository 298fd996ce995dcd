package io.bitquan.flow.operators.commit;

import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.ByteSink;
import io.bitquan.flow.operators.model.FeedBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Writes a block's StateDiff and Receipt feed records straight into its {@link FeedBatch}, in the
 * exact bytes {@link AvroSingleObject} gives for the same record (FeedEncoderTest), without
 * building a record object per change or decoding and re-encoding each receipt:
 * <ul>
 *   <li>StateDiff: the fields written in schema order with Avro's own encoder; chain id, height
 *       and block hash are encoded once per block;</li>
 *   <li>Receipt: the executor's Avro binary receipt ends with its two trailing fields
 *       {@code sequence} and {@code resultSequence} at their default -1 (one byte 0x01 each,
 *       {@link #receiptBody}); the feed record is the header, that body without those two bytes,
 *       then the real numbers.</li>
 * </ul>
 * Relies on {@code sequence} and {@code resultSequence} being the last fields of both schemas
 * (SCHEMAS.md: fields are only ever appended; a new trailing field needs this class changed, and
 * FeedEncoderTest fails until it is). One instance per task thread.
 */
public final class FeedEncoder {
    private static final byte[] DIFF_HEADER = AvroSingleObject.STATE_DIFF.header();
    private static final byte[] RECEIPT_HEADER = AvroSingleObject.RECEIPT.header();

    private final ByteSink prefix = new ByteSink(128);
    private BinaryEncoder encoder;
    private BinaryEncoder prefixEncoder;

    /**
     * The receipt as the executor sends it: Avro binary with {@code sequence} and
     * {@code resultSequence} left at -1, so its last two bytes are 0x01 0x01.
     */
    public static byte[] receiptBody(Receipt receipt) {
        receipt.setSequence(-1L);
        receipt.setResultSequence(-1L);
        return AvroBinary.encode(receipt);
    }

    /** Appends the diffs of one block; returns the next free sequence number. */
    long diffs(FeedBatch.Builder batch, String chainId, long height, byte[] blockHash, Iterable<StateChange> changes,
               boolean reverted, long sequence, long resultSequence) {
        try {
            prefix.reset();
            prefixEncoder = EncoderFactory.get().directBinaryEncoder(prefix, prefixEncoder);
            prefixEncoder.writeString(chainId);
            prefixEncoder.writeLong(height);
            prefixEncoder.writeBytes(blockHash);
            prefixEncoder.flush();
            byte[] common = prefix.toByteArray();
            BinaryEncoder e = encoder(batch);
            for (StateChange c : changes) {
                batch.out().write(DIFF_HEADER);
                batch.out().write(common);
                e.writeBytes(c.key().encodedUnsafe());
                optional(e, c.oldValue() == null ? null : c.oldValue().encode());
                optional(e, c.newValue() == null ? null : c.newValue().encode());
                e.writeBoolean(reverted);
                e.writeLong(sequence++);
                e.writeLong(resultSequence);
                e.flush();
                batch.end(Topic.STATE_DIFFS);
            }
            return sequence;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Appends one receipt ({@link #receiptBody} bytes) with its sequence numbers. */
    void receipt(FeedBatch.Builder batch, byte[] body, long sequence, long resultSequence) {
        int n = body.length;
        if (n < 2 || body[n - 1] != 1 || body[n - 2] != 1) {
            throw new IllegalArgumentException("receipt bytes do not end with the default sequence numbers");
        }
        try {
            batch.out().write(RECEIPT_HEADER);
            batch.out().write(body, 0, n - 2);
            endReceipt(batch, encoder(batch), sequence, resultSequence);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The two sequence fields every Receipt record ends with, then the record is done. */
    private static void endReceipt(FeedBatch.Builder batch, BinaryEncoder e, long sequence, long resultSequence)
            throws IOException {
        e.writeLong(sequence);
        e.writeLong(resultSequence);
        e.flush();
        batch.end(Topic.RECEIPTS);
    }

    /**
     * Appends one receipt given as its receipts-root leaf ({@code Receipts.leaf}: tx index, tx id,
     * success, status, fee, gas used, events in the canonical encoding), written field by field in
     * schema order: the bytes AvroSingleObject gives for the Receipt record (FeedEncoderTest).
     */
    void receiptFromLeaf(FeedBatch.Builder batch, String chainId, long height, byte[] leaf, long sequence,
                         long resultSequence) {
        CanonicalReader r = new CanonicalReader(leaf);
        try {
            batch.out().write(RECEIPT_HEADER);
            BinaryEncoder e = encoder(batch);
            e.writeString(chainId);
            e.writeLong(height);
            e.writeInt(r.i32());
            e.writeBytes(r.bytes());
            e.writeBoolean(r.bool());
            e.writeString(new Utf8(r.bytes()));
            e.writeLong(r.i64());
            e.writeLong(r.i64());
            int events = r.i32();
            e.writeArrayStart();
            e.setItemCount(events);
            for (int i = 0; i < events; i++) {
                e.startItem();
                e.writeBytes(r.bytes());
            }
            e.writeArrayEnd();
            r.expectEnd();
            endReceipt(batch, e, sequence, resultSequence);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private BinaryEncoder encoder(FeedBatch.Builder batch) {
        encoder = EncoderFactory.get().directBinaryEncoder(batch.out(), encoder);
        return encoder;
    }

    private static void optional(BinaryEncoder e, byte[] value) throws IOException {
        if (value == null) {
            e.writeIndex(0);
        } else {
            e.writeIndex(1);
            e.writeBytes(value);
        }
    }
}
