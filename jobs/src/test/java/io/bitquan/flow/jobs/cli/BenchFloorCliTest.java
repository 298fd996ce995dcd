package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code bench job --floor} on a tiny chain (real embedded Kafka, real MiniCluster): the platform
 * floor job runs beside the real job, its row is labelled as a measurement, and what it wrote to
 * the feed topics (read back with read_committed) has exactly the real job's shape: the same
 * block results, and per event the same number of state diffs and receipts with the same sizes.
 * No timing is asserted.
 */
class BenchFloorCliTest {
    private static final Pattern SHAPE =
            Pattern.compile("platform floor \\(ed25519\\): feeds identical in shape to the job's: (\\w+) \\((\\d+) records, (\\d+) bytes\\)");

    @Test
    void floorWritesTheJobsFeedsByShapeAndIsLabelled() {
        int blocks = 3;
        int txs = 20;
        List<String> out = Cli.stdout("bench", "job", "--blocks", String.valueOf(blocks), "--txs", String.valueOf(txs),
                "--signatures", "ed25519", "--engines", "sequential", "--assume-valid", "--floor",
                "--floor-producer", "linger.ms=5");
        assertThat(out).filteredOn(line -> line.startsWith("| ed25519 | sequential | Flink job")).singleElement()
                .asString().contains("| true |");
        assertThat(out).filteredOn(line -> line.startsWith("| ed25519 | - | " + BenchJobCommand.FLOOR_LABEL + " |"))
                .singleElement().asString().contains("MEASUREMENT").contains("| " + blocks * (txs + 1) + " |");
        String shape = out.stream().filter(line -> line.startsWith("platform floor (ed25519)")).findFirst().orElseThrow();
        Matcher m = SHAPE.matcher(shape);
        assertThat(m.matches()).as(shape).isTrue();
        assertThat(m.group(1)).isEqualTo("true");
        // one result and one receipt per transaction (coinbase included) per block, plus at least one diff each
        long records = Long.parseLong(m.group(2));
        assertThat(records).isGreaterThan((long) blocks * (1 + 2L * (txs + 1)));
        assertThat(out).anyMatch(line -> line.startsWith("where the job's time went (bench platform floor ed25519)"));
        assertThat(out).anyMatch(line -> line.startsWith("platform floor (ed25519) marginal: "));
        // the same-run A/B row of the floor with producer overrides
        assertThat(out).anyMatch(line -> line.startsWith("| ed25519 | - | " + BenchJobCommand.FLOOR_LABEL + " with producer {linger.ms=5} |"));
    }
}
