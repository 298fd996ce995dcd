package io.bitquan.flow.execution.bench;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bench's own native blocks, executed warm, every execution checked against the sequential
 * reference (round 15; {@link WarmDifferential}).
 *
 * <p>Why this gate exists: round 14's {@code AccountKeys} passed every differential gate and the
 * bench's one pre-measurement check, yet rejected the 10,000-transaction transfer block
 * ({@code account-key-mismatch}) once C2 had compiled its path, under the Parallel and Serial
 * collectors (never under G1, never with C1 only). The gates ran small blocks, cold, in the test
 * JVM's default collector. This one runs the bench's full-size blocks in the bench's order
 * (transfer, then mixed, then utxo: the order matters to what the JIT has compiled) enough times
 * for the JIT to compile the engine's hot paths, and the module runs it, with the other engine
 * gates, once per collector: see the surefire executions {@code gates-serial-gc} and
 * {@code gates-parallel-gc} in {@code execution/pom.xml}. The contract workloads have the same
 * gate in the jobs module ({@code ContractWarmDifferentialTest}).
 */
class WarmDifferentialTest {

    @ParameterizedTest
    @ValueSource(strings = {"transfer:10000", "mixed", "utxo"})
    void fullSizeBenchBlockMatchesSequentialOnEveryWarmExecution(String spec) {
        WarmDifferential.check(spec, EngineBench.NATIVE);
    }
}
