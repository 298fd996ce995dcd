package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.execution.chainfile.ChainManifest;
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
 * The CLI face of "a chain file is a ledger": a damaged or mixed-up chain directory is exit code
 * 2 with one {@code error:} line naming the file and the last good block, and never a
 * {@code final-root=} line; an intact one runs as before. (ChainFilesTest covers every offset.)
 */
class ChainFileCliTest {
    @TempDir
    static Path tmp;
    static Path chain;
    static ChainManifest manifest;
    static String root;

    @BeforeAll
    static void generate() throws Exception {
        chain = tmp.resolve("chain");
        Cli.stdout("generate", "--out", chain.toString(), "--seed", "3", "--blocks", "3", "--txs", "12", "--workload", "mixed",
                "--accounts", "5", "--invalid-every", "2", "--signatures", "ed25519", "--quiet");
        manifest = ChainFiles.readManifest(chain);
        List<String> out = Cli.stdout("execute", "--chain", chain.toString());
        root = out.get(out.size() - 1);
        assertThat(root).startsWith("final-root=");
    }

    static Path copy(String name) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        for (String f : new String[] {ChainFiles.GENESIS, ChainFiles.EVENTS, ChainFiles.MANIFEST}) {
            Files.copy(chain.resolve(f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        return dir;
    }

    /** Exit 2, exactly one stderr line with these parts, nothing on stdout (so no final-root). */
    static void assertRefused(Cli.Run run, String... parts) {
        assertThat(run.exit()).as(String.join("\n", run.err())).isEqualTo(2);
        assertThat(run.out()).as("stdout").isEmpty();
        assertThat(run.err()).hasSize(1);
        assertThat(run.err().get(0)).startsWith("error: ");
        for (String part : parts) {
            assertThat(run.err().get(0)).contains(part);
        }
    }

    @Test
    void generateWritesTheManifestAtomicallyAndByteIdentically() throws Exception {
        Path again = tmp.resolve("again");
        Cli.stdout("generate", "--out", again.toString(), "--seed", "3", "--blocks", "3", "--txs", "12", "--workload", "mixed",
                "--accounts", "5", "--invalid-every", "2", "--signatures", "ed25519", "--quiet");
        for (String f : new String[] {ChainFiles.GENESIS, ChainFiles.EVENTS, ChainFiles.MANIFEST}) {
            assertThat(Files.readAllBytes(again.resolve(f))).as(f).isEqualTo(Files.readAllBytes(chain.resolve(f)));
        }
        try (Stream<Path> files = Files.list(again)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
        }
        assertThat(manifest.eventCount()).isEqualTo(3 + 1);
    }

    @Test
    void truncatedEventsAreRefusedAtBlockBoundariesAndInsideBlocks() throws Exception {
        byte[] full = Files.readAllBytes(chain.resolve(ChainFiles.EVENTS));
        Path dir = copy("truncated");
        List<long[]> cuts = new ArrayList<>(); // {cut, last good height, last good offset}
        cuts.add(new long[] {0, 0, 0});
        long start = manifest.headerEnd();
        long height = 0;
        for (ChainManifest.Segment s : manifest.segments()) {
            cuts.add(new long[] {start, height, start});
            cuts.add(new long[] {(start + s.end()) / 2, height, start});
            height = s.height();
            start = s.end();
        }
        for (long[] cut : cuts) {
            Files.write(dir.resolve(ChainFiles.EVENTS), Arrays.copyOf(full, (int) cut[0]));
            assertRefused(Cli.run("execute", "--chain", dir.toString(), "--engine", "block-stm", "--threads", "2"),
                    dir.resolve(ChainFiles.EVENTS).toString(), cut[0] == 0 ? "is empty" : "is truncated",
                    "last good block is height " + cut[1], "at byte offset " + cut[2]);
        }
    }

    @Test
    void aFlippedByteIsRefused() throws Exception {
        byte[] full = Files.readAllBytes(chain.resolve(ChainFiles.EVENTS));
        Path dir = copy("flipped");
        Random random = new Random(7);
        for (int i = 0; i < 8; i++) {
            byte[] damaged = full.clone();
            damaged[random.nextInt(full.length)] ^= 0x20;
            Files.write(dir.resolve(ChainFiles.EVENTS), damaged);
            assertRefused(Cli.run("execute", "--chain", dir.toString()), "events.avro is corrupt in bytes", "last good block is height");
        }
    }

    @Test
    void missingEmptyOrMismatchedFilesAreRefused() throws Exception {
        Path noManifest = copy("no-manifest");
        Files.delete(noManifest.resolve(ChainFiles.MANIFEST));
        assertRefused(Cli.run("execute", "--chain", noManifest.toString()), "has no chain.manifest", "regenerate");

        Path emptyGenesis = copy("empty-genesis");
        Files.write(emptyGenesis.resolve(ChainFiles.GENESIS), new byte[0]);
        assertRefused(Cli.run("execute", "--chain", emptyGenesis.toString()), "genesis.avro is empty");

        Path other = tmp.resolve("other");
        Cli.stdout("generate", "--out", other.toString(), "--seed", "4", "--blocks", "2", "--txs", "12", "--workload", "mixed",
                "--accounts", "5", "--signatures", "ed25519", "--quiet");
        Path mixed = copy("mixed");
        Files.copy(other.resolve(ChainFiles.GENESIS), mixed.resolve(ChainFiles.GENESIS), StandardCopyOption.REPLACE_EXISTING);
        assertRefused(Cli.run("execute", "--chain", mixed.toString()), "mixes two chains", manifest.genesisId(),
                ChainFiles.readManifest(other).genesisId());
    }

    @Test
    void runRefusesADamagedGenesisBeforeConnectingToKafka() throws Exception {
        Path dir = copy("run-genesis");
        byte[] genesis = Files.readAllBytes(dir.resolve(ChainFiles.GENESIS));
        Files.write(dir.resolve(ChainFiles.GENESIS), Arrays.copyOf(genesis, genesis.length / 2));
        assertRefused(Cli.run("run", "--bootstrap", "127.0.0.1:1", "--genesis", dir.toString()), "genesis.avro is truncated");
    }

    @Test
    void anIntactCopyStillGivesTheSameRoot() throws Exception {
        List<String> out = Cli.stdout("execute", "--chain", copy("intact").toString(), "--engine", "two-phase", "--threads", "2");
        assertThat(out.get(out.size() - 1)).isEqualTo(root);
    }
}
