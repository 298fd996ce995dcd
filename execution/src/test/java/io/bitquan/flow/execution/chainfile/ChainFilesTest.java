package io.bitquan.flow.execution.chainfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chain directory is a ledger: an intact one reads back exactly what was written, and any
 * truncation, flipped byte, missing or empty file, or genesis from another chain is a
 * {@link ChainFileException} that names the file and the last intact block, never fewer events.
 */
class ChainFilesTest {
    /** 3 blocks with an invalid variant before block 2: 4 events, small enough to cut everywhere. */
    private static final GeneratorOptions OPTIONS = new GeneratorOptions(5, 3, 6, Workload.fromId("transfer"), 6, 2,
            SignatureScheme.fromId("ed25519"));

    @TempDir
    static Path shared;
    static Path intact;
    static List<ChainEvent> events;
    static ChainManifest manifest;

    @BeforeAll
    static void writeOnce() throws IOException {
        events = new ChainGenerator(OPTIONS).generateAll(); // a generator emits its chain once: a fresh one per use
        intact = write(shared.resolve("intact"), new ChainGenerator(OPTIONS));
        manifest = ChainFiles.readManifest(intact);
    }

    static Path write(Path dir, ChainGenerator generator) throws IOException {
        try (ChainFiles.Writer writer = ChainFiles.create(dir, generator.genesis())) {
            generator.generate(writer, io.bitquan.flow.execution.generator.ProgressListener.NONE);
            writer.commit();
        }
        return dir;
    }

    static List<ChainEvent> readAll(Path dir) throws IOException {
        List<ChainEvent> out = new ArrayList<>();
        try (ChainFiles.EventReader reader = ChainFiles.readEvents(dir)) {
            reader.forEachRemaining(out::add);
        }
        return out;
    }

    static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : new String[] {ChainFiles.GENESIS, ChainFiles.EVENTS, ChainFiles.MANIFEST}) {
            Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
        return to;
    }

    /** What the message must say about the last intact block for damage starting at {@code offset}. */
    static String lastGoodBefore(long offset) {
        long height = 0;
        long end = 0;
        if (offset >= manifest.headerEnd()) {
            end = manifest.headerEnd();
        }
        for (ChainManifest.Segment s : manifest.segments()) {
            if (s.end() <= offset) {
                height = s.height();
                end = s.end();
            }
        }
        return "last good block is height " + height + (height == 0 ? " (genesis)" : "") + " at byte offset " + end;
    }

    @Test
    void intactChainReadsBackEveryEventAndTheManifestCountsThem() throws IOException {
        List<ChainEvent> read = readAll(intact);
        assertThat(read).hasSameSizeAs(events);
        for (int i = 0; i < events.size(); i++) {
            assertThat(read.get(i).equals(events.get(i))).as("event %d reads back equal", i).isTrue();
        }
        assertThat(ChainFiles.readGenesis(intact)).isEqualTo(new ChainGenerator(OPTIONS).genesis());
        assertThat(manifest.eventCount()).isEqualTo(events.size()).isEqualTo(4);
        assertThat(manifest.blockCount()).isEqualTo(4); // the invalid variant is a connected block too
        assertThat(manifest.events().bytes()).isEqualTo(Files.size(intact.resolve(ChainFiles.EVENTS)));
        try (Stream<Path> files = Files.list(intact)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(ChainFiles.GENESIS, ChainFiles.EVENTS, ChainFiles.MANIFEST);
        }
    }

    @Test
    void theSameChainGivesTheSameManifest(@TempDir Path tmp) throws IOException {
        Path again = write(tmp.resolve("again"), new ChainGenerator(OPTIONS));
        assertThat(Files.readString(again.resolve(ChainFiles.MANIFEST))).isEqualTo(Files.readString(intact.resolve(ChainFiles.MANIFEST)));
    }

    @Test
    void truncationAtEveryBlockBoundaryAndInsideEveryBlockNamesTheLastGoodBlock(@TempDir Path tmp) throws IOException {
        byte[] full = Files.readAllBytes(intact.resolve(ChainFiles.EVENTS));
        List<Long> cuts = new ArrayList<>(List.of(0L, 1L, manifest.headerEnd() / 2, manifest.headerEnd()));
        long start = manifest.headerEnd();
        for (ChainManifest.Segment s : manifest.segments()) {
            cuts.addAll(List.of(start + 1, (start + s.end()) / 2, s.end() - 1));
            if (s.end() < full.length) {
                cuts.add(s.end()); // an Avro block boundary: Avro alone would read a clean, shorter file
            }
            start = s.end();
        }
        Path dir = copy(intact, tmp.resolve("cut"));
        for (long cut : cuts) {
            Files.write(dir.resolve(ChainFiles.EVENTS), Arrays.copyOf(full, (int) cut));
            assertThatThrownBy(() -> readAll(dir)).as("cut at %d", cut)
                    .isInstanceOf(ChainFileException.class)
                    .hasMessageContaining(dir.resolve(ChainFiles.EVENTS).toString())
                    .hasMessageContaining(cut == 0 ? "is empty" : "is truncated: it has " + cut + " of " + full.length + " bytes")
                    .hasMessageEndingWith(lastGoodBefore(cut));
        }
    }

    @Test
    void aSingleFlippedByteAnywhereIsCorruptionNamingTheLastGoodBlock(@TempDir Path tmp) throws IOException {
        byte[] full = Files.readAllBytes(intact.resolve(ChainFiles.EVENTS));
        Path dir = copy(intact, tmp.resolve("flip"));
        Random random = new Random(13);
        for (int i = 0; i < 60; i++) {
            int offset = random.nextInt(full.length);
            byte[] damaged = full.clone();
            damaged[offset] ^= (byte) (1 + random.nextInt(255));
            Files.write(dir.resolve(ChainFiles.EVENTS), damaged);
            assertThatThrownBy(() -> readAll(dir)).as("byte %d flipped", offset)
                    .isInstanceOf(ChainFileException.class)
                    .hasMessageContaining(dir.resolve(ChainFiles.EVENTS) + " is corrupt in bytes ")
                    .hasMessageEndingWith(lastGoodBefore(offset));
        }
    }

    @Test
    void aFlipInsideBlockOnesParentHashIsCorruptionNotAnotherChain(@TempDir Path tmp) throws IOException {
        byte[] full = Files.readAllBytes(intact.resolve(ChainFiles.EVENTS));
        byte[] genesisId = java.util.HexFormat.of().parseHex(manifest.genesisId());
        int at = -1;
        for (int i = 0; i + genesisId.length <= full.length && at < 0; i++) {
            if (Arrays.equals(full, i, i + genesisId.length, genesisId, 0, genesisId.length)) {
                at = i;
            }
        }
        assertThat(at).as("block 1 names the genesis id as its parent").isPositive();
        Path dir = copy(intact, tmp.resolve("parent"));
        full[at + 5] ^= 1;
        Files.write(dir.resolve(ChainFiles.EVENTS), full);
        assertThatThrownBy(() -> readAll(dir)).isInstanceOf(ChainFileException.class)
                .hasMessageContaining("is corrupt in bytes " + manifest.headerEnd() + "..")
                .hasMessageEndingWith("last good block is height 0 (genesis) at byte offset " + manifest.headerEnd());
    }

    @Test
    void trailingBytesAreNotIgnored(@TempDir Path tmp) throws IOException {
        Path dir = copy(intact, tmp.resolve("tail"));
        Files.write(dir.resolve(ChainFiles.EVENTS), new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        ChainManifest.Segment last = manifest.segments().get(manifest.eventCount() - 1);
        assertThatThrownBy(() -> readAll(dir)).isInstanceOf(ChainFileException.class)
                .hasMessageContaining("has 1 bytes after the last event")
                .hasMessageEndingWith("last good block is height " + last.height() + " at byte offset " + last.end());
    }

    @Test
    void missingOrEmptyFilesAreNamed(@TempDir Path tmp) throws IOException {
        assertThatThrownBy(() -> ChainFiles.readGenesis(tmp.resolve("nope"))).isInstanceOf(ChainFileException.class)
                .hasMessageContaining("does not exist");
        for (String name : new String[] {ChainFiles.GENESIS, ChainFiles.EVENTS, ChainFiles.MANIFEST}) {
            Path missing = copy(intact, tmp.resolve("missing-" + name));
            Files.delete(missing.resolve(name));
            assertThatThrownBy(() -> readAll(missing)).as(name).isInstanceOf(ChainFileException.class)
                    .hasMessageContaining("has no " + name);
            Path empty = copy(intact, tmp.resolve("empty-" + name));
            Files.write(empty.resolve(name), new byte[0]);
            assertThatThrownBy(() -> readAll(empty)).as(name).isInstanceOf(ChainFileException.class)
                    .hasMessageContaining(empty.resolve(name).toString())
                    .hasMessageContaining(name.equals(ChainFiles.MANIFEST) ? "is malformed at line 1" : "is empty");
        }
        Path genesisCut = copy(intact, tmp.resolve("genesis-cut"));
        byte[] genesis = Files.readAllBytes(genesisCut.resolve(ChainFiles.GENESIS));
        Files.write(genesisCut.resolve(ChainFiles.GENESIS), Arrays.copyOf(genesis, genesis.length - 7));
        assertThatThrownBy(() -> ChainFiles.readGenesis(genesisCut)).isInstanceOf(ChainFileException.class)
                .hasMessageContaining(ChainFiles.GENESIS + " is truncated: it has " + (genesis.length - 7) + " of " + genesis.length);
        Files.write(genesisCut.resolve(ChainFiles.GENESIS), genesis);
        genesis[genesis.length - 30] ^= 1;
        Files.write(genesisCut.resolve(ChainFiles.GENESIS), genesis);
        assertThatThrownBy(() -> ChainFiles.readGenesis(genesisCut)).isInstanceOf(ChainFileException.class)
                .hasMessageContaining(ChainFiles.GENESIS);
    }

    @Test
    void eventsOfAnotherGenesisAreAMismatchNamingBothIds(@TempDir Path tmp) throws IOException {
        Path other = write(tmp.resolve("other"), new ChainGenerator(new GeneratorOptions(6, 2, 6, Workload.fromId("transfer"),
                6, 0, SignatureScheme.fromId("ed25519"))));
        ChainManifest otherManifest = ChainFiles.readManifest(other);
        assertThat(otherManifest.genesisId()).isNotEqualTo(manifest.genesisId());

        Path swappedGenesis = copy(intact, tmp.resolve("swapped-genesis"));
        Files.copy(other.resolve(ChainFiles.GENESIS), swappedGenesis.resolve(ChainFiles.GENESIS), StandardCopyOption.REPLACE_EXISTING);
        Path swappedEvents = copy(intact, tmp.resolve("swapped-events"));
        Files.copy(other.resolve(ChainFiles.EVENTS), swappedEvents.resolve(ChainFiles.EVENTS), StandardCopyOption.REPLACE_EXISTING);
        Path swappedEventsAndManifest = copy(other, tmp.resolve("swapped-both"));
        Files.copy(intact.resolve(ChainFiles.GENESIS), swappedEventsAndManifest.resolve(ChainFiles.GENESIS), StandardCopyOption.REPLACE_EXISTING);
        for (Path dir : List.of(swappedGenesis, swappedEvents, swappedEventsAndManifest)) {
            assertThatThrownBy(() -> readAll(dir)).as(dir.toString()).isInstanceOf(ChainFileException.class)
                    .hasMessageContaining("mixes two chains")
                    .hasMessageContaining(manifest.genesisId())
                    .hasMessageContaining(otherManifest.genesisId());
        }
    }

    @Test
    void anInterruptedWriteLeavesNothingNewThatReads(@TempDir Path tmp) throws IOException {
        Path fresh = tmp.resolve("fresh");
        Path existing = copy(intact, tmp.resolve("existing"));
        for (Path dir : List.of(fresh, existing)) {
            ChainGenerator other = new ChainGenerator(new GeneratorOptions(9, 2, 6, Workload.fromId("transfer"), 6, 0,
                    SignatureScheme.fromId("ed25519")));
            try (ChainFiles.Writer writer = ChainFiles.create(dir, other.genesis())) {
                writer.accept(other.generateAll().get(0)); // then the generator fails: no commit
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
            }
        }
        assertThatThrownBy(() -> readAll(fresh)).isInstanceOf(ChainFileException.class).hasMessageContaining("has no ");
        assertThat(readAll(existing)).hasSameSizeAs(events); // the chain that was there is untouched
        assertThat(ChainFiles.readManifest(existing)).isEqualTo(manifest);
    }

    @Test
    void aFileChangedAfterVerificationFailsWhileReadingNotWithFewerEvents(@TempDir Path tmp) throws IOException {
        Path dir = copy(intact, tmp.resolve("changed"));
        try (ChainFiles.EventReader reader = ChainFiles.readEvents(dir)) {
            byte[] full = Files.readAllBytes(dir.resolve(ChainFiles.EVENTS));
            Files.write(dir.resolve(ChainFiles.EVENTS), Arrays.copyOf(full, (int) manifest.segments().get(0).end()));
            assertThat(reader.next().equals(events.get(0))).isTrue();
            assertThatThrownBy(() -> {
                while (reader.hasNext()) {
                    reader.next();
                }
            }).isInstanceOf(UncheckedIOException.class).hasCauseInstanceOf(ChainFileException.class)
                    .hasMessageContaining("changed after it was verified");
        }
    }
}
