package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Corrupted modules never escape as exceptions: a deploy of any byte-mutated example contract ends
 * in a receipt (usually invalid-module), and if it deploys, calling its methods ends in a receipt
 * too, with the same result under the interpreter and the compiler.
 */
class MutatedModulePropertiesTest {

    @Property(tries = 200)
    void mutatedModulesEndInReceipts(@ForAll("contracts") ExampleContract contract,
                                     @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 100_000) Integer> positions,
                                     @ForAll @Size(min = 4, max = 4) List<@IntRange(min = 0, max = 255) Integer> values) {
        byte[] code = contract.code();
        for (int i = 0; i < positions.size(); i++) {
            code[positions.get(i) % code.length] = (byte) (int) values.get(i);
        }
        String compiled = deployAndCall(ExecutionMode.COMPILED, code);
        String interpreted = deployAndCall(ExecutionMode.INTERPRETED, code);
        assertThat(compiled).isEqualTo(interpreted);
        Statistics.label("deploy").collect(compiled.startsWith("ok") ? "deployed" : compiled.split(":")[0]);
    }

    /** Regression (jqwik seed -7887078617696332713): a stray else reached Chicory's parser, which asserted. */
    @org.junit.jupiter.api.Test
    void strayElseIsAnInvalidModule() {
        byte[] code = ExampleContract.TOKEN.code();
        code[241] = 0x05;
        assertThat(deployAndCall(ExecutionMode.COMPILED, code)).startsWith("invalid-module: function ").contains("else outside an if");
    }

    /** Regression: Chicory's interpreter and compiler word traps differently; receipts must not. */
    @org.junit.jupiter.api.Test
    void trapStatusIsTheSameUnderBothModes() {
        byte[] code = ExampleContract.COUNTER.code();
        code[398 % code.length] = 64;
        String compiled = deployAndCall(ExecutionMode.COMPILED, code);
        assertThat(compiled).contains("get trap: out of bounds memory access 2296");
        assertThat(deployAndCall(ExecutionMode.INTERPRETED, code)).isEqualTo(compiled);
    }

    private static String deployAndCall(ExecutionMode mode, byte[] code) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] address = h.nextAddress(0);
        TxOutcome deploy = h.deploy(0, code, ContractArgs.i64s(1_000_000, 1_000_000), 2_000_000).outcome();
        StringBuilder sb = new StringBuilder(deploy.status()).append(' ').append(deploy.gasUsed());
        if (deploy.success()) {
            for (String method : List.of("transfer", "increment", "swap_a_for_b", "get", "reserves", "balance_of")) {
                TxOutcome o = h.call(1, address, method, ContractArgs.transfer(h.address(0), 1), 0, 500_000).outcome();
                sb.append(" | ").append(method).append(' ').append(o.status()).append(' ').append(o.gasUsed());
            }
        }
        return sb.toString();
    }

    @Provide
    Arbitrary<ExampleContract> contracts() {
        return Arbitraries.of(ExampleContract.class);
    }
}
