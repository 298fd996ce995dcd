package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.InstancePolicy;
import io.bitquan.flow.wasm.workload.ContractChainGenerator;
import io.bitquan.flow.wasm.workload.ContractGeneratorOptions;
import io.bitquan.flow.wasm.workload.ContractWorkload;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A reused instance is indistinguishable from a fresh one: nothing leaks from call to call. */
class InstanceReuseTest {
    private static final byte[] SLOT0 = new byte[32];
    private static final byte[] SLOT1 = new byte[32];
    private static final byte[] SLOT2 = new byte[32];

    static {
        SLOT1[31] = 1;
        SLOT2[31] = 2;
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void memoryAndGlobalsAreResetBetweenCalls(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, InstancePolicy.REUSE, 3);
        byte[] address = h.nextAddress(0);
        assertThat(h.deploy(0, ExampleContract.load("/hostile/state_leak.wasm"), new byte[0]).outcome().success()).isTrue();
        for (int i = 0; i < 12; i++) {
            assertThat(h.call(1 + i % 2, address, "run", new byte[0]).outcome().status()).isEqualTo("ok");
            assertThat(h.slot(address, SLOT0)).isZero();
            assertThat(h.slot(address, SLOT1)).isEqualTo(1L);
            assertThat(h.slot(address, SLOT2)).isZero();
            if (i % 4 == 3) {
                // Now and then a failed call (out of gas) in between: compiled, the instance is reset and
                // reused; interpreted, it is dropped. Either way the next call sees a clean instance.
                assertThat(h.call(1, address, "run", new byte[0], 0, 2_100).outcome().status()).isEqualTo("out-of-gas");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ContractWorkload.class)
    void reuseAndFreshGiveTheSameChain(ContractWorkload workload) {
        ContractChainGenerator gen = new ContractChainGenerator(ContractGeneratorOptions.of(5, 2, 60, workload, 7));
        var events = gen.generateAll();
        assertThat(ContractDifferentialTest.run(events, gen, "sequential", 1, ExecutionMode.COMPILED, InstancePolicy.FRESH))
                .isEqualTo(ContractDifferentialTest.run(events, gen, "sequential", 1, ExecutionMode.COMPILED, InstancePolicy.REUSE));
    }
}
