package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench lthash} contract: a table, the ratio as the last line, exit 2 for a bad flag (no timings asserted). */
class BenchLthashCliTest {

    @Test
    void printsTheTableAndTheRatioLast() {
        List<String> out = Cli.stdout("bench", "lthash", "--elements", "30", "--reps", "3", "--warmup", "0");
        assertThat(out).anyMatch(line -> line.startsWith("| reference |"));
        assertThat(out).anyMatch(line -> line.startsWith("| as-built |"));
        assertThat(out.get(out.size() - 1)).matches("lthash/reference=\\d+\\.\\d\\d");
    }

    @Test
    void zeroElementsIsAUserError() {
        Cli.Run run = Cli.run("bench", "lthash", "--elements", "0");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).containsExactly("error: --elements must be at least 1 (got 0)");
    }
}
