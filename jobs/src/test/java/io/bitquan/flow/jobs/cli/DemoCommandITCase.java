package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, small: the demo's per-block lines and final root are exactly what
 * {@code generate} + {@code execute} print for the same flags, and it exits by itself.
 */
class DemoCommandITCase {

    @Test
    void demoPrintsTheSameBlocksAndFinalRootAsGenerateThenExecute(@TempDir Path tmp) {
        sameAsGenerateThenExecute(tmp, "--seed", "5", "--blocks", "4", "--txs", "15", "--workload", "mixed", "--accounts", "20",
            "--invalid-every", "2", "--reorg-every", "2", "--reorg-depth", "2", "--signatures", "ed25519");
    }

    /** Contracts run through the Flink job with no change there but the workload (issue 5). */
    @Test
    void contractWorkloadRunsThroughTheJob(@TempDir Path tmp) {
        List<String> demo = sameAsGenerateThenExecute(tmp, "--seed", "3", "--blocks", "3", "--txs", "30", "--workload", "token",
            "--holders", "10", "--signatures", "ed25519");
        assertThat(demo.stream().filter(l -> l.startsWith("block ")).toList()).hasSize(3).allMatch(l -> l.contains(" accepted "));
    }

    @Test
    void atLeastOnceDeliveryGivesTheSameResults(@TempDir Path tmp) {
        sameAsGenerateThenExecute(tmp, "--delivery", "at-least-once", "--seed", "8", "--blocks", "3", "--txs", "20",
            "--workload", "transfer", "--accounts", "5", "--signatures", "ed25519");
    }

    private static List<String> sameAsGenerateThenExecute(Path tmp, String... args) {
        List<String> demo = Cli.stdout(Cli.concat(new String[] {"demo", "--web-ui-port", "18081", "--checkpoint-interval", "300"}, args));
        // generate takes the chain flags only
        String[] chain = List.of(args).contains("--delivery") ? java.util.Arrays.copyOfRange(args, 2, args.length) : args;
        Cli.stdout(Cli.concat(new String[] {"generate", "--quiet", "--out", tmp.resolve("c").toString()}, chain));
        List<String> execute = Cli.stdout("execute", "--chain", tmp.resolve("c").toString());

        List<String> blockLines = demo.stream().filter(l -> l.startsWith("block ")).toList();
        assertThat(blockLines).containsExactlyElementsOf(execute.subList(0, execute.size() - 1));
        if (List.of(chain).contains("--invalid-every")) {
            assertThat(blockLines).anyMatch(l -> l.contains("rejected rule="));
        }
        assertThat(demo.get(demo.size() - 1)).isEqualTo(execute.get(execute.size() - 1)).startsWith("final-root=");
        assertThat(demo).anyMatch(l -> l.equals("sequential reference (ChainRunner, in-process): equal"));
        return demo;
    }

}
