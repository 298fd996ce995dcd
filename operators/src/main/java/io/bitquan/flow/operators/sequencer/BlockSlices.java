package io.bitquan.flow.operators.sequencer;

import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
    /** Each transaction as sent (Avro binary Transaction), in block order. */
    public final List<byte[]> txs;
    /** Bytes of the Block record as sent. */
    public final long blockBytes;

    private BlockSlices(BlockHeader header, byte[] headerBytes, List<byte[]> txs, long blockBytes) {
        this.header = header;
        this.headerBytes = headerBytes;
        this.txs = txs;
        this.blockBytes = blockBytes;
    }

    /** A ByteArrayInputStream that tells where it is (the direct decoder reads no further than asked). */
    private static final class Cursor extends ByteArrayInputStream {
        Cursor(byte[] bytes) {
            super(bytes);
        }

        int position() {
            return pos;
        }
    }

    /** The slices of a BlockConnected event, {@code null} for any other event. */
    public static BlockSlices read(byte[] event) throws IOException {
        Cursor in = new Cursor(event);
        BinaryDecoder d = DecoderFactory.get().directBinaryDecoder(in, null);
        if (d.readIndex() != 0) {
            return null;
        }
        int blockStart = in.position();
        BlockHeader header = HEADERS.get().read(null, d);
        byte[] headerBytes = Arrays.copyOfRange(event, blockStart, in.position());
        List<byte[]> txs = new ArrayList<>();
        for (long n = d.readArrayStart(); n != 0; n = d.arrayNext()) {
            for (long i = 0; i < n; i++) {
                int from = in.position();
                GenericDatumReader.skip(TX, d);
                txs.add(Arrays.copyOfRange(event, from, in.position()));
            }
        }
        if (in.available() != 0) {
            throw new IOException("trailing bytes after the block");
        }
        return new BlockSlices(header, headerBytes, txs, in.position() - blockStart);
    }
}
