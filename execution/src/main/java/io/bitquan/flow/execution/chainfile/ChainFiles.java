package io.bitquan.flow.execution.chainfile;

import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A chain directory: {@code genesis.avro} (one {@link Genesis} record) and {@code events.avro}
 * (the {@link ChainEvent}s in order), both Avro object container files, so any Avro tool reads
 * them and the writer schema travels with the data. Written with a fixed sync marker so the same
 * chain gives byte-identical files.
 */
public final class ChainFiles {
    public static final String GENESIS = "genesis.avro";
    public static final String EVENTS = "events.avro";
    /** Avro picks a random sync marker per file; a fixed one makes output reproducible. */
    private static final byte[] SYNC = "bitquan-flow-syn".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ChainFiles() {}

    /** Writes genesis and streams events to the directory; returns a sink that must be closed. */
    public static Writer create(Path dir, Genesis genesis) throws IOException {
        Files.createDirectories(dir);
        try (DataFileWriter<Genesis> g = new DataFileWriter<>(new SpecificDatumWriter<>(Genesis.class))) {
            g.create(Genesis.getClassSchema(), Files.newOutputStream(dir.resolve(GENESIS)), SYNC);
            g.append(genesis);
        }
        DataFileWriter<ChainEvent> events = new DataFileWriter<>(new SpecificDatumWriter<>(ChainEvent.class));
        events.create(ChainEvent.getClassSchema(), Files.newOutputStream(dir.resolve(EVENTS)), SYNC);
        return new Writer(events);
    }

    /** Appends events in order. */
    public static final class Writer implements Consumer<ChainEvent>, AutoCloseable {
        private final DataFileWriter<ChainEvent> out;

        private Writer(DataFileWriter<ChainEvent> out) {
            this.out = out;
        }

        @Override
        public void accept(ChainEvent event) {
            try {
                out.append(event);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Checks the directory looks like a chain; the message says what is wrong. */
    public static void validate(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("chain directory " + dir + " does not exist");
        }
        for (String name : new String[] {GENESIS, EVENTS}) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new IOException("chain directory " + dir + " has no " + name + " (create one with 'generate')");
            }
        }
    }

    public static Genesis readGenesis(Path dir) throws IOException {
        validate(dir);
        try (DataFileReader<Genesis> in = new DataFileReader<>(new File(dir.resolve(GENESIS).toString()),
                new SpecificDatumReader<>(Genesis.class))) {
            if (!in.hasNext()) {
                throw new IOException(dir.resolve(GENESIS) + " is empty");
            }
            return in.next();
        } catch (RuntimeException | IOException e) {
            throw new IOException("cannot read " + dir.resolve(GENESIS) + ": " + e.getMessage(), e);
        }
    }

    /** Streams the events in order. The iterator must be closed. */
    public static EventReader readEvents(Path dir) throws IOException {
        validate(dir);
        try {
            return new EventReader(new DataFileReader<>(new File(dir.resolve(EVENTS).toString()),
                    new SpecificDatumReader<>(ChainEvent.class)));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read " + dir.resolve(EVENTS) + ": " + e.getMessage(), e);
        }
    }

    public static final class EventReader implements Iterator<ChainEvent>, AutoCloseable {
        private final DataFileReader<ChainEvent> in;

        private EventReader(DataFileReader<ChainEvent> in) {
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            return in.hasNext();
        }

        @Override
        public ChainEvent next() {
            return in.next();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
