package io.bitquan.flow.kafka.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.ChainEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/** Hostile length prefixes, sizes and framing: each one an IOException, never an allocation. */
class BoundedDecodingTest {
    private static final RecordLimits SMALL = new RecordLimits(4096, 1000);

    private static ChainEvent disconnect() {
        return new ChainEvent(BlockDisconnected.newBuilder().setChainId("c").setHeight(3)
                .setBlockId(ByteBuffer.wrap(new byte[32])).build());
    }

    /** Single-object header of ChainEvent followed by a hand-written body. */
    private static byte[] withBody(byte[] body) {
        byte[] valid = AvroSingleObject.CHAIN_EVENT.encode(disconnect());
        byte[] out = Arrays.copyOf(valid, AvroSingleObject.HEADER_BYTES + body.length);
        System.arraycopy(body, 0, out, AvroSingleObject.HEADER_BYTES, body.length);
        return out;
    }

    /** Union branch 1 (BlockDisconnected), then a chain id string whose length prefix is {@code length}. */
    private static byte[] hugeString(long length) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(bytes, null);
        e.writeIndex(1);
        e.writeLong(length);
        e.writeFixed(new byte[] {'a', 'b', 'c'});
        e.flush();
        return withBody(bytes.toByteArray());
    }

    @Test
    void aValidRecordStillDecodes() throws Exception {
        assertThat(AvroSingleObject.CHAIN_EVENT.decode(AvroSingleObject.CHAIN_EVENT.encode(disconnect()), SMALL))
                .isEqualTo(disconnect());
    }

    @Test
    void lengthPrefixesBeyondTheRecordAreRefusedWithoutAllocating() throws Exception {
        // 2^31 - 9 is where Avro itself would try to allocate; 2^31 is where it throws
        // UnsupportedOperationException; 2^62 overflows an int.
        for (long length : new long[] {Integer.MAX_VALUE - 9L, Integer.MAX_VALUE - 8L, 1L << 31, 1L << 62, 4000, -5}) {
            byte[] record = hugeString(length);
            assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(record, SMALL)).as("length %d", length)
                    .isInstanceOf(IOException.class).hasMessageContaining("undecodable ChainEvent");
        }
    }

    @Test
    void oversizedEmptyTruncatedAndTrailingRecordsAreRefused() {
        byte[] valid = AvroSingleObject.CHAIN_EVENT.encode(disconnect());
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(new byte[4097], SMALL))
                .isInstanceOf(IOException.class).hasMessageContaining("limit 4096");
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(new byte[0], SMALL)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(Arrays.copyOf(valid, valid.length - 1), SMALL))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(Arrays.copyOf(valid, valid.length + 1), SMALL))
                .isInstanceOf(IOException.class).hasMessageContaining("trailing");
        byte[] badBranch = withBody(new byte[] {0x08});
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(badBranch, SMALL)).isInstanceOf(IOException.class);
    }

    @Test
    void avroLimitsCanBeInstalledAfterAvroIsLoaded() {
        AvroLimits.install(SMALL);
        try {
            assertThat(AvroLimits.inForce(SMALL)).isTrue();
            assertThat(AvroLimits.inForce(new RecordLimits(2048, 10))).as("tighter limits are not in force").isFalse();
        } finally {
            AvroLimits.install(RecordLimits.DEFAULT);
        }
        assertThat(AvroLimits.inForce(RecordLimits.DEFAULT)).isTrue();
    }

    @Test
    void limitsSizeEveryHopFromTheLargestBlock() {
        RecordLimits d = RecordLimits.DEFAULT;
        assertThat(d.maxRecordBytes()).isGreaterThan(io.bitquan.flow.model.rules.BlockLimits.MAX_BLOCK_BYTES);
        assertThat(d.topicMaxMessageBytes()).isGreaterThan(d.maxRecordBytes());
        assertThat(d.clientMaxBytes()).isGreaterThan(d.topicMaxMessageBytes());
        assertThatThrownBy(() -> new RecordLimits(10, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
