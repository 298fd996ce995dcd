package io.bitquan.flow.execution.chainfile;

import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Writes a chain directory atomically: genesis and events go to {@code .partial} files in the
 * same directory, each event in its own Avro block, hashed as it is written; {@link #commit()}
 * fsyncs them, deletes the old manifest, renames them into place and writes {@code chain.manifest}
 * last (also via a temporary file and a rename). A {@code generate} interrupted before the commit
 * leaves the directory as it was (an older chain stays valid); interrupted during the commit, it
 * leaves no manifest, which readers refuse: never a shorter chain that looks valid, never old and
 * new files mixed. {@link #close()} without a commit discards the partial files.
 */
final class ChainWriter implements AutoCloseable {
    private static final String PARTIAL = ".partial";

    private final Path dir;
    private final ChainManifest.FileDigest genesis;
    private final String chainId;
    private final String genesisId;
    private final FileOutputStream eventsFile;
    private final HashingOutputStream eventsHash;
    private final DataFileWriter<ChainEvent> events;
    private final long headerEnd;
    private final String headerSha256;
    private final List<ChainManifest.Segment> segments = new ArrayList<>();
    private boolean committed;
    private boolean closed;

    ChainWriter(Path dir, Genesis genesis, byte[] syncMarker) throws IOException {
        this.dir = Files.createDirectories(dir);
        ChainConfig config = new ChainConfig(genesis);
        this.chainId = config.chainId();
        this.genesisId = ChainManifest.hex(config.genesisId());
        this.genesis = writeGenesis(partial(ChainFiles.GENESIS), genesis, syncMarker);
        this.eventsFile = new FileOutputStream(partial(ChainFiles.EVENTS).toFile());
        this.eventsHash = new HashingOutputStream(eventsFile);
        this.events = new DataFileWriter<>(new SpecificDatumWriter<>(ChainEvent.class));
        events.create(ChainEvent.getClassSchema(), eventsHash, syncMarker);
        events.flush();
        this.headerEnd = eventsHash.count();
        this.headerSha256 = eventsHash.cut();
    }

    private Path partial(String name) {
        return dir.resolve("." + name + PARTIAL);
    }

    private static ChainManifest.FileDigest writeGenesis(Path file, Genesis genesis, byte[] syncMarker) throws IOException {
        try (FileOutputStream fos = new FileOutputStream(file.toFile());
             HashingOutputStream hashed = new HashingOutputStream(fos);
             DataFileWriter<Genesis> g = new DataFileWriter<>(new SpecificDatumWriter<>(Genesis.class))) {
            g.create(Genesis.getClassSchema(), hashed, syncMarker);
            g.append(genesis);
            g.flush();
            fos.getFD().sync();
            return new ChainManifest.FileDigest(hashed.count(), hashed.wholeSha256());
        }
    }

    /** Appends one event as its own Avro block and records where it ends and its hash. */
    void append(ChainEvent event) throws IOException {
        if (committed || closed) {
            throw new IllegalStateException("chain writer for " + dir + " is already " + (committed ? "committed" : "closed"));
        }
        events.append(event);
        events.flush();
        segments.add(new ChainManifest.Segment(segments.size(), ChainManifest.kind(event), ChainManifest.height(event),
                eventsHash.count(), eventsHash.cut()));
    }

    /** Makes the chain visible: fsync, rename genesis and events into place, then the manifest. */
    void commit() throws IOException {
        if (committed) {
            return;
        }
        events.flush();
        eventsFile.getFD().sync();
        events.close();
        closed = true;
        ChainManifest manifest = new ChainManifest(chainId, genesisId, genesis,
                new ChainManifest.FileDigest(eventsHash.count(), eventsHash.wholeSha256()), headerEnd, headerSha256, segments);
        // From here to the manifest's rename the directory holds no manifest: readers refuse it as
        // an interrupted generate instead of mixing old and new files.
        Files.deleteIfExists(dir.resolve(ChainManifest.FILE));
        Files.move(partial(ChainFiles.GENESIS), dir.resolve(ChainFiles.GENESIS), StandardCopyOption.ATOMIC_MOVE);
        Files.move(partial(ChainFiles.EVENTS), dir.resolve(ChainFiles.EVENTS), StandardCopyOption.ATOMIC_MOVE);
        Path manifestPartial = partial(ChainManifest.FILE);
        try (FileChannel ch = FileChannel.open(manifestPartial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(manifest.format().getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(manifestPartial, dir.resolve(ChainManifest.FILE), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory();
        committed = true;
    }

    /** The renames are durable only once the directory entry is flushed (Linux; a no-op elsewhere). */
    private void syncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot open a directory; the data files themselves are already synced.
        }
    }

    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        try {
            if (!closed) {
                closed = true;
                events.close();
            }
        } catch (IOException | UncheckedIOException e) {
            // discarding anyway
        } finally {
            Files.deleteIfExists(partial(ChainFiles.GENESIS));
            Files.deleteIfExists(partial(ChainFiles.EVENTS));
        }
    }
}
