package io.bitquan.flow.execution.chainfile;

import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * A chain directory: {@code genesis.avro} (one {@link Genesis} record), {@code events.avro} (the
 * {@link ChainEvent}s in order, one Avro block each) and {@code chain.manifest} (sizes, counts
 * and SHA-256s, see {@link ChainManifest}). The Avro files are object container files, so any
 * Avro tool reads them; a fixed sync marker makes the same chain give byte-identical files.
 *
 * <p>A chain file is a ledger: readers verify the directory against its manifest before they
 * return anything, and a truncated, corrupt, incomplete or mixed-up directory is a
 * {@link ChainFileException} naming the file and the last intact block, never a shorter chain.
 * A directory without a manifest (an interrupted {@code generate}, or one written before the
 * manifest existed) is refused: regenerating with the same flags gives the same chain.
 */
public final class ChainFiles {
    public static final String GENESIS = "genesis.avro";
    public static final String EVENTS = "events.avro";
    public static final String MANIFEST = ChainManifest.FILE;
    /** Avro picks a random sync marker per file; a fixed one makes output reproducible. */
    private static final byte[] SYNC = "bitquan-flow-syn".getBytes(StandardCharsets.US_ASCII);

    private ChainFiles() {}

    /**
     * Starts writing a chain directory. Nothing becomes visible until {@link Writer#commit()};
     * closing without a commit discards what was written (see {@link ChainWriter}).
     */
    public static Writer create(Path dir, Genesis genesis) throws IOException {
        return new Writer(new ChainWriter(dir, genesis, SYNC));
    }

    /** Appends events in order; {@link #commit()} makes the chain visible, {@link #close()} ends. */
    public static final class Writer implements Consumer<ChainEvent>, AutoCloseable {
        private final ChainWriter out;

        private Writer(ChainWriter out) {
            this.out = out;
        }

        @Override
        public void accept(ChainEvent event) {
            try {
                out.append(event);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** fsync, rename into place, then write the manifest: the chain is complete. */
        public void commit() throws IOException {
            out.commit();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Checks the directory has the three files; the message says what is wrong. */
    public static void validate(Path dir) throws ChainFileException {
        if (!Files.isDirectory(dir)) {
            throw new ChainFileException("chain directory " + dir + " does not exist");
        }
        for (String name : new String[] {GENESIS, EVENTS}) {
            if (!Files.isRegularFile(dir.resolve(name))) {
                throw new ChainFileException("chain directory " + dir + " has no " + name + " (create one with 'generate')");
            }
        }
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new ChainFileException("chain directory " + dir + " has no " + MANIFEST
                    + ": its 'generate' was interrupted or predates the manifest; regenerate it (same flags, same chain)");
        }
    }

    /** The manifest, checked for its own consistency. */
    public static ChainManifest readManifest(Path dir) throws ChainFileException {
        validate(dir);
        return ChainManifest.read(dir.resolve(MANIFEST));
    }

    /** The genesis, after checking it is intact and is the genesis the events were generated for. */
    public static Genesis readGenesis(Path dir) throws ChainFileException {
        return ChainVerifier.verifyGenesis(dir, readManifest(dir));
    }

    /**
     * Verifies the whole directory (genesis, then every byte of the events), then streams the
     * events in order. The reader must be closed.
     */
    public static EventReader readEvents(Path dir) throws ChainFileException {
        ChainManifest manifest = readManifest(dir);
        ChainVerifier.verifyGenesis(dir, manifest);
        ChainVerifier.verifyEvents(dir, manifest);
        Path file = dir.resolve(EVENTS);
        try {
            return new EventReader(file, manifest, new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ChainEvent.class)));
        } catch (IOException | RuntimeException e) {
            throw new ChainFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The verified events, in order. Each decoded event must be the one the manifest lists at its
     * position; a file changed after verification fails as {@link UncheckedIOException} wrapping a
     * {@link ChainFileException}, and so does ending before the manifest's event count.
     */
    public static final class EventReader implements Iterator<ChainEvent>, AutoCloseable {
        private final Path file;
        private final ChainManifest manifest;
        private final DataFileReader<ChainEvent> in;
        private int index;

        private EventReader(Path file, ChainManifest manifest, DataFileReader<ChainEvent> in) {
            this.file = file;
            this.manifest = manifest;
            this.in = in;
        }

        @Override
        public boolean hasNext() {
            boolean more;
            try {
                more = in.hasNext();
            } catch (RuntimeException e) {
                throw damaged("cannot decode the next event (" + e.getMessage() + ")", e);
            }
            if (more != index < manifest.eventCount()) {
                throw damaged("it holds " + (more ? "more" : "fewer") + " than the " + manifest.eventCount()
                        + " events of chain.manifest", null);
            }
            return more;
        }

        @Override
        public ChainEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ChainEvent event;
            try {
                event = in.next();
            } catch (RuntimeException e) {
                throw damaged("cannot decode event #" + index + " (" + e.getMessage() + ")", e);
            }
            ChainManifest.Segment expected = manifest.segments().get(index);
            if (!ChainManifest.kind(event).equals(expected.kind()) || ChainManifest.height(event) != expected.height()) {
                throw damaged("event #" + index + " is not the " + expected.kind() + " block at height " + expected.height()
                        + " listed in chain.manifest", null);
            }
            index++;
            return event;
        }

        private UncheckedIOException damaged(String why, Throwable cause) {
            ChainVerifier.LastGood good = index == 0 ? new ChainVerifier.LastGood(0, manifest.headerEnd())
                    : new ChainVerifier.LastGood(manifest.segments().get(index - 1).height(), manifest.segments().get(index - 1).end());
            return new UncheckedIOException(new ChainFileException(file + " changed after it was verified: " + why + "; " + good, cause));
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
