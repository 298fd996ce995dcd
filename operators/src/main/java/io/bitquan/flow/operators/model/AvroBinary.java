package io.bitquan.flow.operators.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain Avro binary (no fingerprint) for records passed between operators of one job. Readers,
 * writers, encoders and decoders are reused per thread (they are not shared between threads).
 */
public final class AvroBinary {
    private static final ThreadLocal<Codecs> CODECS = ThreadLocal.withInitial(Codecs::new);

    private AvroBinary() {}

    private static final class Codecs {
        final Map<Schema, SpecificDatumWriter<Object>> writers = new HashMap<>();
        final Map<Schema, SpecificDatumReader<Object>> readers = new HashMap<>();
        final ByteSink out = new ByteSink(1024); // unsynchronized: no lock per field written
        BinaryEncoder encoder;
        BinaryDecoder decoder;
    }

    public static <T extends SpecificRecord> byte[] encode(T record) {
        Codecs c = CODECS.get();
        try {
            c.out.reset();
            c.encoder = EncoderFactory.get().directBinaryEncoder(c.out, c.encoder);
            c.writers.computeIfAbsent(record.getSchema(), SpecificDatumWriter::new).write(record, c.encoder);
            c.encoder.flush();
            return c.out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T extends SpecificRecord> T decode(Schema schema, byte[] bytes) {
        return decode(schema, bytes, 0, bytes.length);
    }

    /** Decodes {@code bytes[offset, offset + length)} (an item of a packed chunk, read in place). */
    @SuppressWarnings("unchecked")
    public static <T extends SpecificRecord> T decode(Schema schema, byte[] bytes, int offset, int length) {
        Codecs c = CODECS.get();
        try {
            c.decoder = DecoderFactory.get().binaryDecoder(bytes, offset, length, c.decoder);
            return (T) c.readers.computeIfAbsent(schema, SpecificDatumReader::new).read(null, c.decoder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
