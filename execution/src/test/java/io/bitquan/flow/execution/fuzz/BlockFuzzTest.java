package io.bitquan.flow.execution.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Block-level fuzzing of the rules and every engine ({@link BlockFuzzHarness}).
 *
 * <p>In the normal test run the Jazzer test replays its corpus (checked-in findings under
 * src/test/resources) and the jqwik property feeds random bytes. Real coverage-guided fuzzing:
 * {@code JAZZER_FUZZ=1 mvn -B -o -pl execution test -Dtest=BlockFuzzTest#fuzzBlocks
 * -Djazzer.max_duration=10m} (docs/FUZZING.md).
 */
class BlockFuzzTest {

    @FuzzTest
    void fuzzBlocks(byte[] data) {
        BlockFuzzHarness.run(data);
    }

    @Property(tries = 150)
    void randomBytesNeverBreakTheRules(@ForAll @Size(max = 400) byte[] data) {
        BlockFuzzHarness.run(data);
    }
}
