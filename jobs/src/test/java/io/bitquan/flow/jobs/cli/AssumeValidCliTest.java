package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code execute --assume-valid} and {@code --ids}: the CLI contract of assume-valid replay. */
class AssumeValidCliTest {
    @TempDir
    static Path tmp;
    static Path chain;
    /** {@code execute --ids} of the chain, fully verified. */
    static List<String> full;

    @BeforeAll
    static void generate() {
        chain = tmp.resolve("chain");
        // invalid variants (a bad signature among them) and a reorg side branch: all off the canonical chain
        assertThat(Cli.run("generate", "--out", chain.toString(), "--seed", "5", "--blocks", "6", "--txs", "15",
                "--workload", "mixed", "--accounts", "8", "--invalid-every", "2", "--reorg-every", "3",
                "--signatures", "ed25519", "--quiet").exit()).isZero();
        full = Cli.stdout("execute", "--chain", chain.toString(), "--ids");
    }

    @Test
    void idsEndEveryBlockLineAndChangeNothingElse() {
        List<String> plain = Cli.stdout("execute", "--chain", chain.toString());
        assertThat(full).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size() - 1; i++) {
            assertThat(full.get(i)).startsWith(plain.get(i)).matches(".* id=[0-9a-f]{64}");
        }
        assertThat(full.get(full.size() - 1)).isEqualTo(plain.get(plain.size() - 1)).startsWith("final-root=");
        assertThat(full).anyMatch(l -> l.contains("rejected rule=signature-invalid"));
    }

    @Test
    void replayUpToTheTipSkipsTheCanonicalBlocksAndDecidesEverythingAsBefore() {
        String tip = idOf(full.get(full.size() - 2));
        Cli.Run run = Cli.run("execute", "--chain", chain.toString(), "--ids", "--assume-valid", tip, "--engine", "block-stm");
        assertThat(run.exit()).isZero();
        List<String> out = run.out();
        assertThat(out.subList(0, out.size() - 2)).isEqualTo(full.subList(0, full.size() - 1));
        assertThat(out.get(out.size() - 2)).isEqualTo("assume-valid blocks=6");
        assertThat(out.get(out.size() - 1)).isEqualTo(full.get(full.size() - 1));
        assertThat(run.err()).noneMatch(l -> l.contains("warning"));
    }

    @Test
    void anUnknownIdSkipsNothingAndSaysSo() {
        Cli.Run run = Cli.run("execute", "--chain", chain.toString(), "--ids", "--assume-valid", "ab".repeat(32));
        assertThat(run.exit()).isZero();
        assertThat(run.err()).anyMatch(l -> l.contains("not a block of") && l.contains("fully verified"));
        assertThat(run.out()).contains("assume-valid blocks=0");
        assertThat(run.out().get(run.out().size() - 1)).isEqualTo(full.get(full.size() - 1));
    }

    @Test
    void aMalformedIdIsAUserError() {
        for (String bad : new String[] {"abc", "xy".repeat(32), "ab".repeat(33)}) {
            Cli.Run run = Cli.run("execute", "--chain", chain.toString(), "--assume-valid", bad);
            assertThat(run.exit()).as(bad).isEqualTo(Main.EXIT_USAGE);
            assertThat(run.err()).hasSize(1);
            assertThat(run.err().get(0)).startsWith("error: --assume-valid must be a 32-byte block id");
            assertThat(run.out()).isEmpty();
        }
    }

    @Test
    void runChecksItsAssumeValidFlagsBeforeTouchingKafka() {
        // no broker listens on this address: each error must come first, as one line, exit 2
        Cli.Run bad = Cli.run("run", "--bootstrap", "127.0.0.1:1", "--genesis", chain.toString(), "--assume-valid", "ab".repeat(31));
        assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.err()).containsExactly("error: --assume-valid must be a 32-byte block id in hex (64 hex digits), got '"
                + "ab".repeat(31) + "'");
        Cli.Run orphan = Cli.run("run", "--bootstrap", "127.0.0.1:1", "--genesis", chain.toString(),
                "--assume-valid-headers", chain.toString());
        assertThat(orphan.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(orphan.err()).containsExactly("error: --assume-valid-headers needs --assume-valid");
    }

    private static String idOf(String line) {
        return line.substring(line.indexOf(" id=") + 4);
    }
}
