package io.bitquan.flow.kafka.serde;

import io.bitquan.flow.kafka.avro.DeadLetter;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.avro.StateDiff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker C3 01, 8-byte CRC-64-AVRO schema fingerprint, binary
 * body): every record names its schema, so any Avro consumer can read the feeds with the
 * schemas shipped in this jar under {@code /schemas/*.avsc} (also in docs/SCHEMAS.md).
 * Encoders and decoders are thread-safe.
 */
public final class AvroSingleObject<T extends SpecificRecord> {
    public static final AvroSingleObject<ChainEvent> CHAIN_EVENT = new AvroSingleObject<>(ChainEvent.getClassSchema());
    public static final AvroSingleObject<BlockResult> BLOCK_RESULT = new AvroSingleObject<>(BlockResult.getClassSchema());
    public static final AvroSingleObject<StateDiff> STATE_DIFF = new AvroSingleObject<>(StateDiff.getClassSchema());
    public static final AvroSingleObject<Receipt> RECEIPT = new AvroSingleObject<>(Receipt.getClassSchema());
    public static final AvroSingleObject<DeadLetter> DEAD_LETTER =
            new AvroSingleObject<>(DeadLetter.getClassSchema());

    private final Schema schema;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    public AvroSingleObject(Schema schema) {
        this.schema = schema;
        this.encoder = new BinaryMessageEncoder<>(SpecificData.getForSchema(schema), schema);
        this.decoder = new BinaryMessageDecoder<>(SpecificData.getForSchema(schema), schema);
        for (Schema earlier : io.bitquan.flow.model.schema.SchemaHistory.earlier(schema)) {
            decoder.addSchema(earlier); // records from older releases still decode (SCHEMAS.md rule 5)
        }
    }

    public Schema schema() {
        return schema;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @throws IOException for a wrong marker, an unknown fingerprint or a truncated/garbled body:
     *                     callers route such records to the dead-letter topic
     */
    public T decode(byte[] bytes) throws IOException {
        if (bytes == null) {
            throw new IOException("null record value");
        }
        try {
            return decoder.decode(bytes);
        } catch (org.apache.avro.AvroRuntimeException | ArrayIndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException | IllegalArgumentException e) {
            throw new IOException("undecodable " + schema.getName() + ": " + e, e);
        }
    }
}
