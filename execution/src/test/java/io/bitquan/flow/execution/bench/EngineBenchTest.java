package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's plumbing on a tiny matrix: rows, flags, and the two documents. */
class EngineBenchTest {

    @Test
    void tinyMatrixProducesRowsTableAndChart(@TempDir Path docs) throws Exception {
        Files.writeString(docs.resolve("PERFORMANCE.md"), "# Performance\n\n## Flink job\n\nsomeone else's numbers\n");
        EngineBenchOptions opts = EngineBench.parseArgs(new String[] {
                "--workloads", "transfer:2,transfer:50,utxo+sig", "--sizes", "120", "--threads", "1,2",
                "--engines", "sequential,two-phase,block-stm", "--warmup", "0", "--reps", "1", "--docs", docs.toString()},
                "bench engine (test)");
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<EngineBench.Row> rows = EngineBench.run(opts, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        // per block: sequential + 2 engines x 2 thread counts
        assertThat(rows).hasSize(3 * 5);
        assertThat(rows).filteredOn(r -> r.engine().equals("sequential")).allSatisfy(r -> assertThat(r.speedup()).isEqualTo(1.0));
        assertThat(rows).allSatisfy(r -> assertThat(r.tps()).isPositive());
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("| transfer/2 | 120 | block-stm | 2 |").contains("| utxo +sig | 120 | two-phase | 1 |");
        assertThat(printed).containsPattern("cpu share \\(.*\\): before \\d\\.\\d\\d, after \\d\\.\\d\\d: ");
        String md = Files.readString(docs.resolve("PERFORMANCE.md"));
        assertThat(md).startsWith("# Performance\n\n## Flink job\n\nsomeone else's numbers\n");
        // A second run replaces its own section and keeps the others.
        EngineBench.run(opts, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String again = Files.readString(docs.resolve("PERFORMANCE.md"));
        assertThat(again).startsWith("# Performance\n\n## Flink job\n\nsomeone else's numbers\n");
        assertThat(again.split("engine-bench:begin", -1)).hasSize(2);
        assertThat(md).contains("bench engine (test)").contains("cores (`nproc`)").contains("| transfer/50 | 120 | sequential |");
        String svg = Files.readString(docs.resolve("speedup.svg"));
        assertThat(svg).startsWith("<svg").contains("measured x2").contains("simulated x8").contains("<rect").endsWith("</svg>\n");
        // The work/span model: one row per block where block-stm ran, in the output and the docs.
        assertThat(printed).contains("| workload | txs/block | work ms | span ms | parallelism |");
        assertThat(md).contains("### Work/span model").contains("simulated at 8 workers");
        // The machine's 2-thread ceiling: one row per block, a positive finite ratio.
        assertThat(printed).contains("| workload | txs/block | sequential alone ms |");
        java.util.regex.Matcher ceiling = java.util.regex.Pattern
                .compile("\\| transfer/2 \\| 120 \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ / [0-9.]+ \\| ([0-9.]+)x \\|").matcher(printed);
        assertThat(ceiling.find()).as(printed).isTrue();
        // positive and finite only: its size is a timing (one cold rep of a 120-tx block read 289x once)
        assertThat(Double.parseDouble(ceiling.group(1))).isPositive().isFinite();
        assertThat(md).contains("### Machine ceiling at 2 threads");
        // The schedule's phases: a row per fully predicted block, its parts adding up to its total.
        java.util.regex.Matcher phases = java.util.regex.Pattern.compile(
                "\\| utxo \\+sig \\| 120 \\| ([0-9.]+) \\| ([0-9.]+) \\| [0-9.]+ \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+) \\| ([0-9.]+)x \\|")
                .matcher(printed);
        assertThat(phases.find()).as(printed).isTrue();
        double predict = Double.parseDouble(phases.group(2));
        double linkAndRun = Double.parseDouble(phases.group(4));
        double collect = Double.parseDouble(phases.group(5));
        assertThat(Double.parseDouble(phases.group(6))).isCloseTo(predict + linkAndRun + collect, org.assertj.core.data.Offset.offset(0.02));
        assertThat(linkAndRun).isNotNegative();
        assertThat(md).contains("### The predicted schedule at 2 workers, phase by phase");
    }

    @Test
    void theMedianOfPerRepRatiosIsBesideTheRatioOfMedians() {
        // the engine's reps 3-5 and the sequential reps 4-5 slowed by other processes: the ratio of
        // the medians pairs a fast sequential median with a slow engine median
        double[] sequential = {10, 10, 10, 30, 30};
        double[] engine = {5, 5, 15, 15, 15};
        assertThat(EngineBench.median(sequential) / EngineBench.median(engine)).isCloseTo(0.667, org.assertj.core.data.Offset.offset(0.001));
        assertThat(EngineBench.medianOfRatios(sequential, engine)).isEqualTo(2.0);
        assertThat(EngineBench.medianOfRatios(new double[] {4, 6}, new double[] {2, 2})).isEqualTo(2.5);
    }

    @Test
    void aTwoThreadSpeedupAboveTheCeilingIsFlagged() {
        TwoThreadBound ceiling = new TwoThreadBound(1.90, Double.NaN); // no machinery measured: the ceiling is the bound
        assertThat(ceiling.exceededBy("block-stm", 2, 1.91)).isTrue();
        assertThat(ceiling.exceededBy("block-stm-no-fallback", 2, 1.90)).isFalse();
        assertThat(ceiling.exceededBy("block-stm", 4, 2.5)).isFalse();
        assertThat(new TwoThreadBound(0.9, Double.NaN).exceededBy("sequential", 2, 1.0)).isFalse();
        assertThat(TwoThreadBound.NONE.exceededBy("block-stm", 2, 1.5)).isFalse();
        // a costlier machinery leaves the ceiling as the bound
        assertThat(new TwoThreadBound(1.90, 0.35).value()).isEqualTo(1.90);
        assertThat(new TwoThreadBound(1.90, 0.35).exceededBy("block-stm", 2, 1.95)).isTrue();
        EngineBench.Row row = new EngineBench.Row(BenchWorkload.parse("token:10000"), 10000, "block-stm", 2, 5, 2e6, 1.95, 0, 0, 0, 1.31,
                new TwoThreadBound(1.90, 0.35));
        assertThat(row.aboveCeiling()).isTrue();
        assertThat(EngineBench.format(row)).contains("| 1.95x (above ceiling) | 1.31x |");
        assertThat(EngineBench.ceilingNote(row)).isEqualTo("note: token/10000 x 10000 block-stm/2 reads 1.95x, above the 2-thread "
                + "bound 1.90x (the ceiling row): read the per-rep speedup (1.31x) and the ceiling table");
    }

    @Test
    void whereTheMachineryCostsLessThanSequentialTheBoundIsTheCeilingOverOnePlusIt() {
        // round 18's L4 utxo: ceiling 1.91x, machinery -29 %, the 2-thread rows 2.22-2.27x with sequential at its usual speed
        TwoThreadBound utxo = new TwoThreadBound(1.91, -0.29);
        assertThat(utxo.value()).isCloseTo(1.91 / 0.71, org.assertj.core.data.Offset.offset(1e-9));
        EngineBench.Row l4 = new EngineBench.Row(BenchWorkload.parse("utxo"), 10000, "block-stm", 2, 6, 1.6e6, 2.26, 0, 0, 0, 2.24, utxo);
        assertThat(l4.aboveCeiling()).isFalse();
        assertThat(EngineBench.format(l4)).contains("| 2.26x | 2.24x |").doesNotContain("above ceiling");
        // above the raised bound it is still flagged, and the note says how the bound was made, not why the row beat it
        EngineBench.Row slowed = new EngineBench.Row(BenchWorkload.parse("utxo"), 10000, "block-stm", 2, 5, 2e6, 2.75, 0, 0, 0, 1.73, utxo);
        assertThat(slowed.aboveCeiling()).isTrue();
        assertThat(EngineBench.format(slowed)).contains("| 2.75x (above ceiling) | 1.73x |");
        assertThat(EngineBench.ceilingNote(slowed)).isEqualTo("note: utxo x 10000 block-stm/2 reads 2.75x, above the 2-thread bound "
                + "2.69x (the ceiling row's 1.91x / 0.71: machinery at 1 worker -29 %): read the per-rep speedup (1.73x) and the ceiling table");
        assertThat(EngineBench.ceilingNote(slowed)).doesNotContain("slowed");
        // only 2-thread parallel rows; a block without a ceiling flags nothing
        assertThat(utxo.exceededBy("block-stm", 1, 3.0)).isFalse();
        assertThat(utxo.exceededBy("sequential", 2, 3.0)).isFalse();
        assertThat(new TwoThreadBound(Double.NaN, -0.29).exceededBy("block-stm", 2, 3.0)).isFalse();
    }

    @Test
    void warmupAutoWarmsUntilQuietAndSaysHowManyRounds() {
        EngineBenchOptions opts = EngineBench.parseArgs(new String[] {"--workloads", "utxo", "--sizes", "60", "--threads", "2",
                "--engines", "sequential,block-stm", "--warmup", "auto", "--reps", "1"}, "bench engine (test)");
        assertThat(opts.autoWarmup()).isTrue();
        assertThat(opts.warmupRounds()).isEqualTo(EngineBenchOptions.SIDE_WARMUP);
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        EngineBench.run(opts, new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String printed = buffer.toString(StandardCharsets.UTF_8);
        java.util.regex.Matcher rounds = java.util.regex.Pattern.compile("warm-up auto .*: utxo x 60: (\\d+) rounds").matcher(printed);
        assertThat(rounds.find()).as(printed).isTrue();
        assertThat(Integer.parseInt(rounds.group(1))).isBetween(WarmUp.MIN_ROUNDS, WarmUp.CAP);
        // the predicted block's parts, one row
        assertThat(printed).contains("| workload | txs/block | sequential ms | predict ms (spread) |")
                .containsPattern("\\| utxo \\| 60 \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\| [0-9.]+ \\+ [0-9.]+ \\([0-9.]+\\) \\+ [0-9.]+ \\|");
        // a negative count is not "auto"
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> EngineBench.parseArgs(new String[] {"--warmup", "-1"}, "x"))
                .hasMessage("--warmup must be at least 0 or auto (got -1)");
        assertThat(EngineBench.parseArgs(new String[] {"--warmup", "4"}, "x").warmupRounds()).isEqualTo(4);
    }

    @Test
    void workloadSpecsParse() {
        assertThat(BenchWorkload.parse("transfer:10000+sig")).isEqualTo(
                new BenchWorkload("transfer", 10000, true));
        assertThat(BenchWorkload.parse("token:100").label()).isEqualTo("token/100");
        assertThat(BenchWorkload.parse("token:100").nativeWorkload()).isNull();
        assertThat(BenchWorkload.parse("utxo-chained").label()).isEqualTo("utxo-chained");
        assertThat(BenchWorkload.parse("transfer:2").label()).isEqualTo("transfer/2");
    }

    @Test
    void theCpuShareLineSaysWhenTheLaunchDidNotHaveBothVcpus() {
        assertThat(EngineBench.cpuShareLine(1.97, 2.01)).endsWith("before 1.97, after 2.01: both vCPUs were this JVM's");
        assertThat(EngineBench.cpuShareLine(1.97, 1.02)).contains("after 1.02: below 1.80");
        assertThat(EngineBench.cpuShareLine(0.96, 1.99)).contains("before 0.96").contains("below 1.80");
    }
}
