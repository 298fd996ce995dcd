package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Round 19's payoff-log figures: where a pool worker entered its job ({@link WorkerPool.OnCpu},
 * the processor field of the thread's stat line) and the line logged for a block of an engine
 * without the check (the fallback-off engine's runs).
 */
class PlacementLogTest {

    /** A stat line whose processor field (39) is {@code cpu} and whose command name is {@code name}. */
    private static byte[] statLine(String name, int cpu) {
        StringBuilder rest = new StringBuilder("S");
        for (int field = 4; field <= 52; field++) {
            rest.append(' ').append(field == 39 ? cpu : field * 11);
        }
        return ("4242 (" + name + ") " + rest + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theProcessorFieldIsCountedFromTheCommandNamesLastParenthesis() {
        for (String name : new String[] {"java", "a b", "x) (y", ") 1 2 3 )", "bitquan-exec-1-1"}) {
            byte[] line = statLine(name, 7);
            assertThat(WorkerPool.OnCpu.processor(line, line.length)).as(name).isEqualTo(7);
            byte[] two = statLine(name, 13);
            assertThat(WorkerPool.OnCpu.processor(two, two.length)).as(name).isEqualTo(13);
        }
        byte[] cut = "4242 (java) S 1 2".getBytes(StandardCharsets.US_ASCII);
        assertThat(WorkerPool.OnCpu.processor(cut, cut.length)).isEqualTo(-1);
        byte[] noName = "4242 java S 1 2".getBytes(StandardCharsets.US_ASCII);
        assertThat(WorkerPool.OnCpu.processor(noName, noName.length)).isEqualTo(-1);
    }

    /** On Linux the parser reads the same field as splitting the real line does. */
    @Test
    void theProcessorFieldOfARealStatLine() throws Exception {
        Path self = Path.of("/proc/self/stat");
        Assumptions.assumeTrue(Files.exists(self), "no /proc here");
        byte[] real = Files.readAllBytes(self);
        String text = new String(real, StandardCharsets.US_ASCII);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        assertThat(WorkerPool.OnCpu.processor(real, real.length)).isEqualTo(Integer.parseInt(fields[36])); // field 39
        assertThat(WorkerPool.OnCpu.now()).isNotNegative();
    }

    /** The unchecked engine's line carries its placement and reads as such (no kind, no estimates). */
    @Test
    void anUncheckedBlocksLineSaysSo() {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            PayoffLog.flush(); // anything kept before this test is not ours
            captured.reset();
            PayoffLog.unchecked(30_000_000, 16_000_000, 10_000, 30_300_000, 2, 12_000_000, 13_000_000, 1);
            PayoffLog.flush("token/10000 block-stm/2 rep-0");
        } finally {
            System.setErr(err);
        }
        String line = captured.toString(StandardCharsets.UTF_8).trim();
        assertThat(line).startsWith("payoff token/10000 block-stm/2 rep-0 UNCHECKED parallel wall=30.000ms")
                .contains(" queued=12.000ms workersQueued=13.000ms onCallersCpu=1 why=unchecked")
                .doesNotContain("\n");
    }
}
