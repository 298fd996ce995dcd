package io.bitquan.flow.operators.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.BlockLimits;
import io.bitquan.flow.operators.model.AvroBinary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The sequencer's slices of a chain event are the transactions as sent: each one decodes to the
 * block's transaction (canonical input: byte-identical to its encoding), the header likewise, and
 * the block's size as sent is its canonical size, or more for a non-canonical (block-encoded)
 * writer, never less, which is what lets the sequencer decide the byte cap from it.
 */
class BlockSlicesTest {

    @Test
    void slicesAreTheTransactionsAsSentForEveryEventOfAGeneratedChain() throws IOException {
        ChainGenerator g = new ChainGenerator(new GeneratorOptions(5, 6, 9, Workload.MIXED, 12, 2, SignatureScheme.ED25519)
                .withReorgs(3, 1));
        int blocks = 0;
        for (ChainEvent e : g.generateAll()) {
            BlockSlices slices = BlockSlices.read(AvroBinary.encode(e));
            if (!(e.getEvent() instanceof BlockConnected c)) {
                assertThat(slices).isNull();
                continue;
            }
            Block block = c.getBlock();
            assertThat(slices.header).isEqualTo(block.getHeader());
            assertThat(slices.headerBytes).isEqualTo(AvroBinary.encode(block.getHeader()));
            assertThat(slices.txs()).hasSameSizeAs(block.getTransactions());
            for (int i = 0; i < slices.txs().size(); i++) {
                assertThat(slices.txs().get(i)).isEqualTo(AvroBinary.encode(block.getTransactions().get(i)));
            }
            assertThat(slices.blockBytes).isEqualTo(BlockLimits.encodedSize(block));
            assertPacksAsCopies(slices);
            blocks++;
        }
        assertThat(blocks).isGreaterThan(6);
    }

    @Test
    void aBlockEncodedArrayIsSlicedToTheSameTransactionsAndCountsNoLessThanCanonical() throws IOException {
        ChainGenerator g = new ChainGenerator(new GeneratorOptions(9, 2, 40, Workload.MIXED, 12, 0, SignatureScheme.ED25519));
        Block block = g.generateAll().stream().map(ChainEvent::getEvent).filter(BlockConnected.class::isInstance)
                .map(c -> ((BlockConnected) c).getBlock()).reduce((a, b) -> b).orElseThrow();
        ChainEvent event = ChainEvent.newBuilder().setEvent(BlockConnected.newBuilder().setBlock(block).build()).build();
        // a legal but non-canonical writer: arrays in byte-counted blocks of at most 256 bytes
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder blocking = new EncoderFactory().configureBlockSize(256).blockingBinaryEncoder(out, null);
        new SpecificDatumWriter<>(ChainEvent.class).write(event, blocking);
        blocking.flush();
        byte[] bytes = out.toByteArray();
        assertThat(bytes).isNotEqualTo(AvroBinary.encode(event));

        BlockSlices slices = BlockSlices.read(bytes);
        assertThat(slices.header).isEqualTo(block.getHeader());
        List<Transaction> txs = slices.txs().stream()
                .map(b -> AvroBinary.<Transaction>decode(Transaction.getClassSchema(), b)).toList();
        assertThat(txs).containsExactlyElementsOf(block.getTransactions());
        assertThat(slices.blockBytes).isGreaterThan(BlockLimits.encodedSize(block));
        assertPacksAsCopies(slices);
        assertThat(AvroBinary.<BlockHeader>decode(BlockHeader.getClassSchema(), slices.headerBytes)).isEqualTo(block.getHeader());
    }

    /**
     * The event read in place behind a record's single-object header (the decoder no longer copies
     * the body off) gives the same slices as the body on its own, and packs the same chunks.
     */
    @Test
    void anEventBehindItsHeaderIsSlicedAsTheBodyAlone() throws IOException {
        ChainGenerator g = new ChainGenerator(new GeneratorOptions(6, 5, 11, Workload.MIXED, 12, 2, SignatureScheme.ED25519)
                .withReorgs(3, 1));
        int blocks = 0;
        for (ChainEvent e : g.generateAll()) {
            byte[] record = io.bitquan.flow.kafka.serde.AvroSingleObject.CHAIN_EVENT.encode(e);
            int at = io.bitquan.flow.kafka.serde.AvroSingleObject.CHAIN_EVENT.currentBodyOffset(record);
            assertThat(java.util.Arrays.copyOfRange(record, at, record.length)).isEqualTo(AvroBinary.encode(e));
            BlockSlices inPlace = BlockSlices.read(record, at);
            BlockSlices alone = BlockSlices.read(AvroBinary.encode(e));
            if (alone == null) {
                assertThat(inPlace).isNull();
                continue;
            }
            assertThat(inPlace.header).isEqualTo(alone.header);
            assertThat(inPlace.headerBytes).isEqualTo(alone.headerBytes);
            assertThat(inPlace.blockBytes).isEqualTo(alone.blockBytes);
            assertThat(inPlace.txs()).usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(alone.txs());
            for (int from = 0; from <= alone.count(); from++) {
                assertThat(inPlace.pack(from, alone.count())).isEqualTo(alone.pack(from, alone.count()));
            }
            blocks++;
        }
        assertThat(blocks).isGreaterThan(6);
    }

    /** A chunk packed straight from the event is byte for byte the pack of the copied transactions, for every range. */
    private static void assertPacksAsCopies(BlockSlices slices) {
        List<byte[]> txs = slices.txs();
        assertThat(slices.count()).isEqualTo(txs.size());
        for (int from = 0; from <= txs.size(); from++) {
            for (int to = from; to <= txs.size(); to++) {
                assertThat(slices.pack(from, to)).isEqualTo(io.bitquan.flow.operators.model.Blobs.pack(txs.subList(from, to)));
            }
        }
        if (!txs.isEmpty()) {
            assertThat(io.bitquan.flow.operators.model.Blobs.unpack(slices.pack(0, txs.size())))
                    .usingElementComparator(java.util.Arrays::compare).containsExactlyElementsOf(txs);
        }
    }
}
