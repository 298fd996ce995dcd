package io.bitquan.flow.kafka.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.model.avro.BlockResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class AvroSingleObjectTest {
    private static BlockResult result() {
        return BlockResult.newBuilder().setChainId("c").setHeight(7).setBlockId(ByteBuffer.wrap(new byte[32]))
                .setAccepted(true).setStateRoot(ByteBuffer.wrap(new byte[32])).setTxCount(3).setFees(10).build();
    }

    @Test
    void everyRecordStartsWithTheMarkerAndTheSchemaFingerprint() throws Exception {
        byte[] bytes = AvroSingleObject.BLOCK_RESULT.encode(result());
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
        long fingerprint = SchemaNormalization.parsingFingerprint64(BlockResult.getClassSchema());
        long inRecord = ByteBuffer.wrap(Arrays.copyOfRange(bytes, 2, 10)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(inRecord).isEqualTo(fingerprint);
        assertThat(AvroSingleObject.BLOCK_RESULT.decode(bytes)).isEqualTo(result());
    }

    @Test
    void garbageAndForeignRecordsAreIoExceptionsNotCrashes() {
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode("not avro".getBytes())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(new byte[] {(byte) 0xC3, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9}))
                .isInstanceOf(IOException.class);
        byte[] otherSchema = AvroSingleObject.BLOCK_RESULT.encode(result());
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(otherSchema)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(null)).isInstanceOf(IOException.class);
    }

    @Test
    void theFeedSchemasShipInTheJar() throws Exception {
        for (String name : new String[] {"ChainEvent", "BlockResult", "StateDiff", "Receipt", "DeadLetter"}) {
            try (InputStream in = AvroSingleObjectTest.class.getResourceAsStream("/schemas/" + name + ".avsc")) {
                assertThat(in).as(name).isNotNull();
            }
        }
        try (InputStream in = AvroSingleObjectTest.class.getResourceAsStream("/schemas/DeadLetter.avsc")) {
            Schema parsed = new Schema.Parser().parse(in);
            // the fingerprint in every record is computed from the parsing canonical form
            assertThat(SchemaNormalization.parsingFingerprint64(parsed))
                    .isEqualTo(SchemaNormalization.parsingFingerprint64(AvroSingleObject.DEAD_LETTER.schema()));
        }
    }
}
