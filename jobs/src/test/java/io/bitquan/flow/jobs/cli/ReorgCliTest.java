package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reorg part of the CLI contract: `generate --reorg-every/--reorg-depth` and `execute`'s lines. */
class ReorgCliTest {

    private static List<String> generateAndExecute(Path dir, String... extra) {
        String[] base = {"generate", "--out", dir.toString(), "--seed", "4", "--blocks", "6", "--txs", "12",
            "--workload", "mixed", "--accounts", "10", "--signatures", "ed25519", "--quiet"};
        assertThat(Cli.run(Cli.concat(base, extra)).exit()).isZero();
        Cli.Run run = Cli.run("execute", "--chain", dir.toString(), "--engine", "block-stm", "--threads", "2");
        assertThat(run.exit()).isZero();
        return run.out();
    }

    @Test
    void reorgsPrintDisconnectLinesAndLeaveTheCleanChainsFinalRoot(@TempDir Path tmp) {
        List<String> clean = generateAndExecute(tmp.resolve("clean"));
        List<String> reorg = generateAndExecute(tmp.resolve("reorg"), "--reorg-every", "3", "--reorg-depth", "2",
                "--invalid-every", "2");

        assertThat(reorg.get(reorg.size() - 1)).isEqualTo(clean.get(clean.size() - 1)).startsWith("final-root=");
        // Two reorgs (before blocks 3 and 6), each: 2 side blocks accepted, then disconnected tip first.
        assertThat(reorg).filteredOn(l -> l.contains("disconnected")).hasSize(4)
                .allMatch(l -> l.matches("block \\d+ disconnected root=[0-9a-f]{64}"));
        assertThat(reorg).filteredOn(l -> l.startsWith("block 3 ")).extracting(l -> l.replaceAll(" root=.*", ""))
                .containsExactly("block 3 accepted", "block 3 disconnected", "block 3 accepted");
        // A disconnect returns to the parent's root: the line before the side branch has the same root.
        int firstDisconnect = indexOf(reorg, "block 3 disconnected");
        assertThat(root(reorg.get(firstDisconnect))).isEqualTo(root(reorg.get(indexOf(reorg, "block 2 accepted"))));
        assertThat(reorg).filteredOn(l -> l.contains("rejected")).hasSize(3);
    }

    @Test
    void reorgRestoreWithoutACataloguedSnapshotIsAUserErrorAndTouchesNothing(@TempDir Path tmp) {
        Path chain = tmp.resolve("chain");
        assertThat(Cli.run("generate", "--out", chain.toString(), "--blocks", "1", "--txs", "2", "--signatures", "ed25519",
                "--quiet").exit()).isZero();
        // nothing listens on these: the command must fail on the empty catalog before using them
        Cli.Run run = Cli.run("reorg-restore", "--fork-height", "5", "--rest", "http://127.0.0.1:1", "--bootstrap", "127.0.0.1:1",
                "--genesis", chain.toString(), "--savepoint-dir", tmp.resolve("savepoints").toUri().toString());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).singleElement().asString().startsWith("error: no savepoint or retained checkpoint at or below height 5");

        Cli.Run noDir = Cli.run("reorg-restore", "--fork-height", "5", "--rest", "http://127.0.0.1:1", "--bootstrap", "127.0.0.1:1",
                "--genesis", chain.toString());
        assertThat(noDir.exit()).isEqualTo(2);
        assertThat(noDir.err()).singleElement().asString().contains("--savepoint-dir is required");
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError(prefix + " not in " + lines);
    }

    private static String root(String line) {
        return line.substring(line.indexOf("root=") + 5);
    }
}
