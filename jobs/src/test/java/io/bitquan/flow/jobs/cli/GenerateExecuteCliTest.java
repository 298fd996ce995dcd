package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract of `generate` and `execute` that scripts and external checks rely on. */
class GenerateExecuteCliTest {

    @Test
    void generateIsByteIdenticalForTheSameFlags(@TempDir Path tmp) throws Exception {
        String[] flags = {"--seed", "9", "--blocks", "3", "--txs", "20", "--workload", "mixed", "--accounts", "12",
            "--invalid-every", "2", "--signatures", "ed25519", "--quiet"};
        assertThat(Cli.run(Cli.concat(new String[] {"generate", "--out", tmp.resolve("a").toString()}, flags)).exit()).isZero();
        assertThat(Cli.run(Cli.concat(new String[] {"generate", "--out", tmp.resolve("b").toString()}, flags)).exit()).isZero();
        for (String file : new String[] {"genesis.avro", "events.avro"}) {
            assertThat(Files.readAllBytes(tmp.resolve("b").resolve(file))).isEqualTo(Files.readAllBytes(tmp.resolve("a").resolve(file)));
        }
    }

    @Test
    void executePrintsOneLinePerBlockAndTheFinalRootLast(@TempDir Path tmp) {
        Path chain = tmp.resolve("chain");
        assertThat(Cli.run("generate", "--out", chain.toString(), "--seed", "5", "--blocks", "4", "--txs", "15",
                "--workload", "transfer", "--accounts", "6", "--invalid-every", "2", "--signatures", "ed25519", "--quiet").exit()).isZero();
        Cli.Run result = Cli.run("execute", "--chain", chain.toString(), "--engine", "sequential");
        assertThat(result.exit()).isZero();
        List<String> lines = result.out();
        assertThat(lines).hasSize(4 + 2 + 1);
        assertThat(lines.subList(0, 6)).allMatch(l -> l.matches("block \\d+ (accepted root=[0-9a-f]{64}|rejected rule=[a-z-]+)"));
        assertThat(lines).filteredOn(l -> l.contains("rejected")).containsExactly(
                "block 2 rejected rule=utxo-missing-or-spent", "block 4 rejected rule=signature-invalid");
        String lastAccepted = lines.get(5).substring(lines.get(5).indexOf("root=") + 5);
        assertThat(lines.get(6)).isEqualTo("final-root=" + lastAccepted);
    }

    @Test
    void contractWorkloadsRunThroughEveryEngineToTheSameRoot(@TempDir Path tmp) {
        for (String workload : new String[] {"token", "amm"}) {
            Path chain = tmp.resolve(workload);
            assertThat(Cli.run("generate", "--out", chain.toString(), "--seed", "2", "--blocks", "2", "--txs", "40",
                    "--workload", workload, "--holders", "8", "--signatures", "ed25519", "--quiet").exit()).isZero();
            List<String> reference = null;
            for (String engine : new String[] {"sequential", "block-stm", "two-phase"}) {
                Cli.Run result = Cli.run("execute", "--chain", chain.toString(), "--engine", engine, "--threads", "3");
                assertThat(result.exit()).isZero();
                assertThat(result.out()).hasSize(3).noneMatch(l -> l.contains("rejected"));
                if (reference == null) {
                    reference = result.out();
                } else {
                    assertThat(result.out()).as(workload + " " + engine).isEqualTo(reference);
                }
            }
        }
    }

    @Test
    void missingOrBadChainDirectoryIsAOneLineErrorWithExitCode2(@TempDir Path tmp) throws Exception {
        Cli.Run missing = Cli.run("execute", "--chain", tmp.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).hasSize(1).first().asString().startsWith("error: ").contains("does not exist");
        assertThat(missing.out()).isEmpty();

        Path broken = Files.createDirectories(tmp.resolve("broken"));
        Files.write(broken.resolve("genesis.avro"), new byte[] {1, 2, 3});
        Files.write(broken.resolve("events.avro"), new byte[] {1, 2, 3});
        Cli.Run bad = Cli.run("execute", "--chain", broken.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).hasSize(1).first().asString().startsWith("error: ").contains("has no chain.manifest");

        Cli.Run unknownEngine = Cli.run("execute", "--chain", broken.toString(), "--engine", "warp");
        assertThat(unknownEngine.exit()).isEqualTo(2);
    }

}
