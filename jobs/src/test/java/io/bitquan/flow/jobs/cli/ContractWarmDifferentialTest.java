package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.bench.WarmDifferential;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The warm differential gate ({@link WarmDifferential}, round 15) on the bench's contract blocks:
 * token, token with declared access lists, and the one-pool AMM, 10,000 WASM calls each, executed
 * warm by every parallel engine at 2 and 3 threads and compared with sequential on every
 * execution. The jobs module runs it under G1 and again under the Serial and Parallel collectors
 * (surefire executions in {@code jobs/pom.xml}): round 14's divergence showed only there.
 */
class ContractWarmDifferentialTest {

    @ParameterizedTest
    @ValueSource(strings = {"token:10000", "token-listed:10000", "amm"})
    void fullSizeContractBlockMatchesSequentialOnEveryWarmExecution(String spec) {
        WarmDifferential.check(spec, BenchEngineCommand.ALL_WORKLOADS);
    }
}
