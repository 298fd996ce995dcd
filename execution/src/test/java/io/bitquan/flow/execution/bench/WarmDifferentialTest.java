package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The bench's own blocks, executed warm, every execution checked against the sequential
 * reference (round 15).
 *
 * <p>Why this gate exists: round 14's {@code AccountKeys} passed every differential gate and the
 * bench's one pre-measurement check, yet gave wrong results on the 10,000-transaction transfer
 * and mixed blocks once C2 had compiled its path, under the Parallel and Serial collectors (never
 * under G1, never with C1 only). The gates ran small blocks, cold, in the test JVM's default
 * collector. This one runs the bench's full-size blocks in the bench's order (transfer, then
 * mixed, then utxo) enough times for the JIT to compile the engine's hot paths, and the
 * module runs it (with the other engine gates) once per collector: see the surefire executions
 * {@code gates-serial-gc} and {@code gates-parallel-gc} in {@code execution/pom.xml}.
 */
class WarmDifferentialTest {
    /** Enough executions of each engine for C2 to compile the hot paths (the bug showed within 18). */
    private static final int REPS = 24;
    private static final List<String> ENGINES = List.of("block-stm-no-fallback", "block-stm", "block-stm-optimistic");

    @Test
    void fullSizeBenchBlocksMatchSequentialOnEveryWarmExecution() {
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName()).collect(Collectors.joining(","));
        for (String spec : List.of("transfer:10000", "mixed", "utxo")) {
            BenchWorkload workload = BenchWorkload.parse(spec);
            BenchBlock block = BenchBlock.of(workload, 10_000, 42, SignatureScheme.ED25519, EngineBench.NATIVE);
            List<String> expected;
            try (SequentialEngine sequential = new SequentialEngine(block.vm())) {
                BlockOutput reference = sequential.execute(block.context(), block.txs(), block.base());
                assertThat(reference.accepted()).as(spec).isTrue();
                expected = OutputAssertions.canonical(reference);
            }
            for (int threads : new int[] {2, 3}) {
                for (String name : ENGINES) {
                    try (ExecutionEngine engine = EngineBench.create(name, threads, block.vm())) {
                        for (int rep = 0; rep < REPS; rep++) {
                            BlockOutput out = engine.execute(block.context(), block.txs(), block.base());
                            assertThat(firstDifference(OutputAssertions.canonical(out), expected))
                                    .as("%s, %s at %d threads, execution %d, collectors %s", spec, name, threads, rep, collectors)
                                    .isNull();
                        }
                    }
                }
            }
        }
    }

    /** The first line where {@code actual} and {@code expected} differ, or null when they are equal (a short failure message on 30,000-line outputs). */
    private static String firstDifference(List<String> actual, List<String> expected) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                return "line " + i + ": expected " + expected.get(i) + " but was " + actual.get(i);
            }
        }
        return actual.size() == expected.size() ? null : "lengths " + actual.size() + " and " + expected.size();
    }
}
