package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench job} on a tiny chain (real embedded Kafka, real MiniCluster): the job's root equals
 * the standalone runner's, and the report says where the job's time went (Flink stages from the
 * REST API, CPU per thread group); with {@code --pace} (latency mode: the unbounded job fed while it
 * runs) it also carries the latency line (p50 / p90 / max). No timing is asserted.
 */
class BenchJobCliTest {

    @Test
    void reportsRootsStagesAndThreads() {
        List<String> out = Cli.stdout("bench", "job", "--blocks", "3", "--txs", "20", "--signatures", "ed25519",
                "--engines", "sequential", "--standalone-last", "--assume-valid");
        assertThat(out).filteredOn(line -> line.startsWith("| ed25519 | sequential | Flink job")).singleElement()
                .asString().contains("| true |");
        assertThat(out).anyMatch(line -> line.startsWith("| ed25519 | sequential | standalone ChainRunner |"));
        assertThat(out).anyMatch(line -> line.startsWith("where the job's time went"));
        assertThat(out).anyMatch(line -> line.startsWith("| thread group | cpu s |"));
        assertThat(out).anyMatch(line -> line.startsWith("| total |"));
        // the host calibrator's line: the measured job and the reference (run after it here), each with a reading
        assertThat(out).filteredOn(line -> line.startsWith("host: ")).first().asString()
                .matches("host: job \\d+\\.\\d\\d ns/step \\(min .*\\), reference \\d+\\.\\d\\d ns/step \\(min .*\\)");
    }

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
