package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench job --pace} (latency mode) on a tiny chain (real embedded Kafka, real MiniCluster):
 * the unbounded job, fed while it runs, still gives the standalone runner's root, and the report
 * carries the latency line (p50 / p90 / max) and the table. No timing value is asserted.
 */
class BenchJobPaceCliTest {

    @Test
    void pacedRunPrintsLatencyAndTableWithEqualRoot() {
        // 8 blocks: more than PacedPublisher.SKIP (5) so the latency line has measured blocks
        List<String> out = Cli.stdout("bench", "job", "--blocks", "8", "--txs", "10", "--signatures", "ed25519",
                "--engines", "sequential", "--pace", "20");
        assertThat(out).filteredOn(line -> line.startsWith("latency publish -> result readable")).isNotEmpty()
                .allSatisfy(line -> assertThat(line).matches(".*: p50 \\d+ ms, p90 \\d+ ms, max \\d+ ms$"));
        assertThat(out).filteredOn(line -> line.startsWith("| ed25519 | sequential | Flink job")).singleElement()
                .asString().contains("| true |");
        assertThat(out).anyMatch(line -> line.startsWith("| ed25519 | sequential | standalone ChainRunner |"));
    }
}
