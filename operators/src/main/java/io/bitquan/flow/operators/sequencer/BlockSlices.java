package io.bitquan.flow.operators.sequencer;

import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.bitquan.flow.operators.model.Blobs;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * A {@code BlockConnected} chain event read the way the sequencer needs it: the header decoded,
 * each transaction only as its byte range of the event (Avro's schema-driven
 * {@link GenericDatumReader#skip} walks it without building objects), so the sequencer neither
 * decodes nor re-encodes a transaction; the preparers decode each one once.
 *
 * <p>The event body is Avro binary of the current {@code ChainEvent} schema (the decode stage
 * guarantees it): union index 0 = BlockConnected { block: Block { header, transactions } }.
 * {@link #blockBytes} is the size of the Block as sent, never less than its canonical encoding
 * ({@code BlockLimits.encodedSize}: Avro's canonical binary is its shortest), so a block within
 * the byte cap by this count is within it by the rule's.
 */
public final class BlockSlices {
    private static final Schema TX = Transaction.getClassSchema();
    private static final ThreadLocal<SpecificDatumReader<BlockHeader>> HEADERS =
            ThreadLocal.withInitial(() -> new SpecificDatumReader<>(BlockHeader.class));

    static {
        // the layout read below; a schema change must fail here, not slice wrongly
        Schema connected = ChainEvent.getClassSchema().getField("event").schema().getTypes().get(0);
        Schema block = connected.getFields().get(0).schema();
        if (!connected.getName().equals("BlockConnected") || connected.getFields().size() != 1
                || block.getFields().size() != 2 || !block.getFields().get(0).name().equals("header")
                || !block.getFields().get(1).schema().getElementType().equals(TX)) {
            throw new IllegalStateException("ChainEvent layout changed: update BlockSlices");
        }
    }

    public final BlockHeader header;
    /** The header as sent (Avro binary BlockHeader). */
    public final byte[] headerBytes;
    /** The event as read (possibly behind a header); the transactions are ranges of it (not copied out one by one). */
    private final byte[] event;
    /** Each transaction's {offset, length} in {@link #event} (Avro binary Transaction as sent), in block order. */
    private final int[] ranges;
    /** Bytes of the Block record as sent. */
    public final long blockBytes;

    private BlockSlices(BlockHeader header, byte[] headerBytes, byte[] event, int[] ranges, long blockBytes) {
        this.header = header;
        this.headerBytes = headerBytes;
        this.event = event;
        this.ranges = ranges;
        this.blockBytes = blockBytes;
    }

    /** Transactions in the block. */
    public int count() {
        return ranges.length / 2;
    }

    /** Transactions {@code from} (inclusive) to {@code to} (exclusive) packed as {@link Blobs#pack} packs them. */
    public byte[] pack(int from, int to) {
        return Blobs.pack(event, ranges, from, to);
    }

    /** Each transaction as sent (Avro binary Transaction), in block order: copies (tests, probes). */
    public List<byte[]> txs() {
        List<byte[]> txs = new ArrayList<>(count());
        for (int i = 0; i < count(); i++) {
            txs.add(Arrays.copyOfRange(event, ranges[2 * i], ranges[2 * i] + ranges[2 * i + 1]));
        }
        return txs;
    }

    /** A ByteArrayInputStream that tells where it is (the direct decoder reads no further than asked). */
    private static final class Cursor extends ByteArrayInputStream {
        Cursor(byte[] bytes, int offset) {
            super(bytes, offset, bytes.length - offset);
        }

        int position() {
            return pos;
        }
    }

    /** The slices of a BlockConnected event, {@code null} for any other event. */
    public static BlockSlices read(byte[] event) throws IOException {
        return read(event, 0);
    }

    /**
     * The slices of the event {@code event[offset, event.length)} (a record's value with its header
     * left in front): the ranges index {@code event} itself, so nothing is copied to read it.
     */
    public static BlockSlices read(byte[] event, int offset) throws IOException {
        Cursor in = new Cursor(event, offset);
        BinaryDecoder d = DecoderFactory.get().directBinaryDecoder(in, null);
        if (d.readIndex() != 0) {
            return null;
        }
        int blockStart = in.position();
        BlockHeader header = HEADERS.get().read(null, d);
        byte[] headerBytes = Arrays.copyOfRange(event, blockStart, in.position());
        int[] ranges = new int[64];
        int n = 0;
        for (long items = d.readArrayStart(); items != 0; items = d.arrayNext()) {
            for (long i = 0; i < items; i++) {
                int from = in.position();
                GenericDatumReader.skip(TX, d);
                if (2 * n + 2 > ranges.length) {
                    ranges = Arrays.copyOf(ranges, 2 * ranges.length);
                }
                ranges[2 * n] = from;
                ranges[2 * n + 1] = in.position() - from;
                n++;
            }
        }
        if (in.available() != 0) {
            throw new IOException("trailing bytes after the block");
        }
        return new BlockSlices(header, headerBytes, event, Arrays.copyOf(ranges, 2 * n), in.position() - blockStart);
    }
}
