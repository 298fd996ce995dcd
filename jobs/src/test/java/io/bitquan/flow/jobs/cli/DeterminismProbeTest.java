package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker of .ci/determinism: its records agree with `execute` and across engines. */
class DeterminismProbeTest {

    @Test
    void recordsEveryEventAndTheFinalRootOfExecute(@TempDir Path tmp) throws Exception {
        Path chain = tmp.resolve("c");
        Cli.stdout("generate", "--out", chain.toString(), "--seed", "8", "--blocks", "3", "--txs", "12", "--workload", "mixed",
                "--accounts", "5", "--invalid-every", "2", "--signatures", "ed25519", "--quiet");
        List<String> execute = Cli.stdout("execute", "--chain", chain.toString());

        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            DeterminismProbe.main(new String[] {tmp.resolve("out").toString(),
                "c=" + chain + ":sequential:1", "c=" + chain + ":block-stm:3", "c=" + chain + ":two-phase:2"});
        } finally {
            System.setOut(old);
        }
        List<String> out = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(out.get(0)).startsWith("jvm arch=");
        assertThat(out.subList(1, 4)).allMatch(l -> l.startsWith("run c ") && l.contains(" events=4 ")
                && l.contains(" " + execute.get(execute.size() - 1) + " "));
        assertThat(out.subList(1, 4).stream().map(l -> l.replaceAll(".*blocks-sha256=(\\S+).*", "$1")).distinct()).hasSize(1);

        List<String> records = Files.readAllLines(tmp.resolve("out").resolve("c.block-stm.3.2.blocks"));
        assertThat(records).hasSize(5);
        for (int i = 0; i < 4; i++) {
            assertThat(records.get(i)).startsWith(i + " " + execute.get(i) + " header=").contains(" block=").contains(" receipts=");
        }
        assertThat(records.get(4)).isEqualTo(execute.get(4));
    }
}
