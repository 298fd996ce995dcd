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
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (marker C3 01, 8-byte CRC-64-AVRO schema fingerprint, binary
 * body): every record names its schema, so any Avro consumer can read the feeds with the
 * schemas shipped in this jar under {@code /schemas/*.avsc} (also in docs/SCHEMAS.md).
 * Encoders and decoders are thread-safe (readers are per thread).
 */
public final class AvroSingleObject<T extends SpecificRecord> {
    public static final AvroSingleObject<ChainEvent> CHAIN_EVENT = new AvroSingleObject<>(ChainEvent.getClassSchema());
    public static final AvroSingleObject<BlockResult> BLOCK_RESULT = new AvroSingleObject<>(BlockResult.getClassSchema());
    public static final AvroSingleObject<StateDiff> STATE_DIFF = new AvroSingleObject<>(StateDiff.getClassSchema());
    public static final AvroSingleObject<Receipt> RECEIPT = new AvroSingleObject<>(Receipt.getClassSchema());
    public static final AvroSingleObject<DeadLetter> DEAD_LETTER =
            new AvroSingleObject<>(DeadLetter.getClassSchema());

    /** Marker C3 01 and the 8-byte little-endian CRC-64-AVRO fingerprint. */
    static final int HEADER_BYTES = 10;

    private final Schema schema;
    private final long fingerprint;
    private final BinaryMessageEncoder<T> encoder;
    /** Writer schemas this decoder accepts by fingerprint: the current one and every earlier release's. */
    private final Map<Long, Schema> writers = new HashMap<>();
    private final ThreadLocal<Map<Long, SpecificDatumReader<T>>> readers = ThreadLocal.withInitial(HashMap::new);

    public AvroSingleObject(Schema schema) {
        this.schema = schema;
        this.fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        this.encoder = new BinaryMessageEncoder<>(SpecificData.getForSchema(schema), schema);
        writers.put(fingerprint, schema);
        for (Schema earlier : io.bitquan.flow.model.schema.SchemaHistory.earlier(schema)) {
            // records from older releases still decode, resolved to this schema (SCHEMAS.md rule 5)
            writers.put(SchemaNormalization.parsingFingerprint64(earlier), earlier);
        }
    }

    public Schema schema() {
        return schema;
    }

    /** The 10 bytes every record of this schema starts with (marker, fingerprint): for encoders that write the body themselves. */
    public byte[] header() {
        byte[] h = new byte[HEADER_BYTES];
        h[0] = (byte) 0xC3;
        h[1] = (byte) 0x01;
        ByteBuffer.wrap(h, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(fingerprint);
        return h;
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
     * The Avro binary body of a record {@link #decode} accepted, when it was written with this
     * schema (then the body is what re-encoding the decoded record would give, up to Avro's
     * freedom in varint and block layout, which no reader sees); null for an earlier release's
     * schema, whose body must be re-encoded. Lets a stage forward what it read without encoding it again.
     */
    public byte[] currentBody(byte[] bytes) {
        int at = currentBodyOffset(bytes);
        return at < 0 ? null : java.util.Arrays.copyOfRange(bytes, at, bytes.length);
    }

    /**
     * Where {@link #currentBody}'s bytes start in {@code bytes} (they run to its end), or -1 when it
     * would return null: for a stage that reads the body in place instead of copying it out.
     */
    public int currentBodyOffset(byte[] bytes) {
        if (bytes == null || bytes.length < HEADER_BYTES
                || ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong() != fingerprint) {
            return -1;
        }
        return HEADER_BYTES;
    }

    /** Decodes within {@link RecordLimits#DEFAULT}. */
    public T decode(byte[] bytes) throws IOException {
        return decode(bytes, RecordLimits.DEFAULT);
    }

    /**
     * Bounded decoding of a record from anyone: size first, then the single-object header, then
     * a pass that skips through the body by the schema ({@link GenericDatumReader#skip}) without
     * allocating, so every length prefix is checked against the bytes actually present before
     * the real read allocates anything; trailing bytes are refused (one record, one encoding).
     *
     * @throws IOException with a one-line reason for anything that is not exactly one record of
     *                     this schema, whatever Avro threw: callers route it to the dead letters
     */
    public T decode(byte[] bytes, RecordLimits limits) throws IOException {
        if (bytes == null) {
            throw new IOException("null record value");
        }
        if (bytes.length > limits.maxRecordBytes()) {
            throw new IOException("record is " + bytes.length + " bytes, limit " + limits.maxRecordBytes());
        }
        if (bytes.length < HEADER_BYTES || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            throw new IOException("not an Avro single-object record (" + bytes.length + " bytes, no C3 01 header)");
        }
        long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Schema writer = writers.get(fingerprint);
        if (writer == null) {
            throw new IOException(String.format("schema fingerprint %016x is not %s's %016x (nor an earlier release's)",
                    fingerprint, schema.getName(), this.fingerprint));
        }
        try {
            BinaryDecoder check = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
            GenericDatumReader.skip(writer, check);
            if (!check.isEnd()) {
                throw new IOException("trailing bytes after the " + schema.getName() + " record");
            }
            BinaryDecoder body = DecoderFactory.get().binaryDecoder(bytes, HEADER_BYTES, bytes.length - HEADER_BYTES, null);
            return readers.get().computeIfAbsent(fingerprint,
                    f -> new SpecificDatumReader<>(writer, schema, SpecificData.getForSchema(schema))).read(null, body);
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new IOException("undecodable " + schema.getName() + ": " + describe(e), e);
        }
    }

    /** Exception class and a bounded message: enough to tell the failures apart in a dead letter. */
    static String describe(Throwable e) {
        String message = e.getMessage();
        if (message != null && message.length() > 200) {
            message = message.substring(0, 200) + "...";
        }
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
