package io.bitquan.flow.kafka.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.schema.SchemaHistory;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/** A BlockResult written with the schema before feed sequence numbers still decodes (defaults apply). */
class FeedSchemaEvolutionTest {

    @Test
    void aRecordFromTheFirstReleaseDecodesWithTheSequenceDefault() throws Exception {
        Schema v1 = SchemaHistory.earlier(BlockResult.getClassSchema()).get(0);
        assertThat(v1.getField("sequence")).isNull();
        GenericRecord old = new GenericData.Record(v1);
        old.put("chainId", "c");
        old.put("height", 3L);
        old.put("blockId", ByteBuffer.wrap(new byte[32]));
        old.put("accepted", true);
        old.put("stateRoot", ByteBuffer.wrap(new byte[32]));
        old.put("txCount", 1);
        old.put("fees", 0L);
        old.put("divergence", false);
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(old);
        byte[] value = new byte[bytes.remaining()];
        bytes.get(value);

        BlockResult decoded = AvroSingleObject.BLOCK_RESULT.decode(value);
        assertThat(decoded.getHeight()).isEqualTo(3L);
        assertThat(decoded.getSequence()).isEqualTo(-1L);
        assertThat(decoded.getDisconnected()).isFalse();
    }
}
