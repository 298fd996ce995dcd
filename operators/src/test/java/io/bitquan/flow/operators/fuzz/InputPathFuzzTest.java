package io.bitquan.flow.operators.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Fuzzing of the job's input path ({@link InputPathFuzzHarness}): raw record bytes through the
 * decoder operator, the sequencer's caps, the preparer and the executor's core.
 *
 * <p>In the normal test run the Jazzer test replays its committed corpus (under
 * src/test/resources/.../InputPathFuzzTestInputs/fuzzInputPath) and the jqwik property feeds
 * random inputs. Coverage-guided: {@code JAZZER_FUZZ=1 mvn -B -o -pl operators test
 * -Dtest='InputPathFuzzTest#fuzzInputPath' -Dsurefire.failIfNoSpecifiedTests=false} (docs/FUZZING.md).
 */
class InputPathFuzzTest {

    @FuzzTest(maxDuration = "5m")
    void fuzzInputPath(byte[] data) {
        InputPathFuzzHarness.run(data);
    }

    @Property(tries = 100)
    void randomInputsNeverBreakTheInputPath(@ForAll @Size(max = 300) byte[] data) {
        InputPathFuzzHarness.run(data);
    }
}
