package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --hostile-every 1} on a short chain: the hostile records are reported as sent and
 * accounted for (dead letters and rejected results), and the final root is still what
 * {@code generate} + {@code execute} give for the chain without them.
 */
class HostileDemoITCase {

    @Test
    void hostileRecordsAreAccountedForAndTheRootIsUnchanged(@TempDir Path tmp) {
        String[] chain = {"--seed", "4", "--blocks", "4", "--txs", "10", "--workload", "mixed", "--accounts", "20",
                "--signatures", "ed25519"};
        String dir = tmp.resolve("c").toString();
        Cli.stdout(Cli.concat(new String[] {"generate", "--out", dir}, chain));
        List<String> execute = Cli.stdout(new String[] {"execute", "--chain", dir, "--engine", "sequential"});
        List<String> demo = Cli.stdout(Cli.concat(new String[] {"demo", "--web-ui-port", "18091", "--checkpoint-interval", "300",
                "--hostile-every", "1"}, chain));
        assertThat(demo).anyMatch(l -> l.equals(
                "hostile: 4 records sent (one before every 1 blocks), 3 reached dead-letter, 1 rejected {tx-malformed=1}; accounted 4 of 4"));
        assertThat(demo.stream().filter(l -> l.startsWith("block ") && l.contains(" rejected ")).toList()).hasSize(1);
        assertThat(demo).anyMatch(l -> l.equals("sequential reference (ChainRunner, in-process): equal"));
        assertThat(demo.get(demo.size() - 1)).isEqualTo(execute.get(execute.size() - 1)).startsWith("final-root=");
    }
}
