package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bench's stage table from the in-process metric reporter (the default since round 8) has the
 * rows the REST poll gave: the job graph's stages with their parallelism, every share known and the
 * three shares of a stage adding up to its subtasks' running time; the checkpoint line keeps its
 * shape with Flink's counts. With {@code -Dbitquan.bench.stages=off} no stage table. Real
 * MiniCluster and embedded Kafka, a small chain; no timing asserted.
 */
class BenchStagesReporterTest {
    private static final String[] ARGS = {"bench", "job", "--blocks", "4", "--txs", "20", "--signatures", "ed25519",
            "--engines", "sequential", "--standalone-last", "--assume-valid"};

    @Test
    void reporterTableHasTheRestPollsRows() {
        List<String> reported = Cli.stdout(ARGS);
        List<String[]> rows = stageRows(reported);
        // the rows the REST poll printed for this job graph (e.g. docs/PERFORMANCE.md's round 7 tables):
        // every Flink task with its parallelism; the reporter lists them in deployment order, REST in the graph's
        assertThat(rows.stream().map(r -> r[0] + " x" + r[1]).sorted().toList()).as(String.join("\n", reported))
                .containsExactly("block-committer x2", "block-executor x2",
                        "chain-events -> decode -> (source-tip, dead-letters) x1", "commitment-partition x2",
                        "feed-monitor -> feeds: Writer -> feeds: Committer x2", "sequencer x2", "tx-preparer x2");
        for (String[] row : rows) {
            // busy, back-pressured, idle: all known, each rounded, together the whole running time
            int sum = Integer.parseInt(row[2]) + Integer.parseInt(row[3]) + Integer.parseInt(row[4]);
            assertThat(sum).as(Arrays.toString(row)).isBetween(98, 102);
            assertThat(Integer.parseInt(row[5])).as(Arrays.toString(row)).isBetween(0, 100);
        }
        // Flink's own counts (a bounded job of a few seconds at a 1 s interval completes at least one)
        assertThat(reported).filteredOn(l -> l.startsWith("checkpoints: ")).singleElement().asString()
                .matches("checkpoints: [1-9]\\d* completed, \\d+ failed; end-to-end duration avg (\\d+|\\?) ms, max (\\d+|\\?) ms \\(\\d+ sampled\\)");
        assertThat(reported).anyMatch(l -> l.startsWith("| thread group | cpu s |"));
    }

    @Test
    void offPrintsNoStageTableButTheThreads() {
        List<String> out;
        System.setProperty("bitquan.bench.stages", "off");
        try {
            out = Cli.stdout(ARGS);
        } finally {
            System.clearProperty("bitquan.bench.stages");
        }
        assertThat(out).filteredOn(l -> l.startsWith("| ed25519 | sequential | Flink job")).singleElement()
                .asString().contains("| true |");
        assertThat(stageRows(out)).isEmpty();
        assertThat(out).anyMatch(l -> l.startsWith("| thread group | cpu s |"));
    }

    /** The stage table's data rows as cells: name, parallelism, busy, back-pressured, idle, busiest. */
    private static List<String[]> stageRows(List<String> out) {
        int header = out.indexOf("| stage (Flink task) | parallelism | busy % | back-pressured % | idle % | busiest subtask busy % |");
        if (header < 0) {
            return List.of();
        }
        return out.subList(header + 2, out.size()).stream().takeWhile(l -> l.startsWith("| "))
                .map(l -> Arrays.stream(l.substring(2, l.length() - 2).split(" \\| ")).map(String::trim).toArray(String[]::new))
                .toList();
    }
}
