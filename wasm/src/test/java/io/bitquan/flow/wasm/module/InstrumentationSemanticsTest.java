package io.bitquan.flow.wasm.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.ExternalType;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import org.junit.jupiter.api.Test;

/**
 * The instrumentation changes cost, never meaning: compute(x) of the control-flow corpus gives
 * the same result before and after instrumentation (interpreted and compiled), gas used is the
 * same under both, and running out of gas traps.
 */
class InstrumentationSemanticsTest {

    private static int gasGlobal(WasmModule module) {
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            var e = module.exportSection().getExport(i);
            if (e.exportType() == ExternalType.GLOBAL && e.name().equals(ModuleInstrumenter.GAS_GLOBAL_EXPORT)) {
                return e.index();
            }
        }
        throw new AssertionError("no gas global");
    }

    @Test
    void instrumentedModuleComputesTheSameResults() throws Exception {
        byte[] original = ExampleContract.load("/semantics/control_flow.wasm");
        byte[] instrumented = ModuleInstrumenter.instrument(original);
        WasmModule plain = Parser.parse(original);
        WasmModule metered = Parser.parse(instrumented);
        int gas = gasGlobal(metered);
        var compiled = MachineFactoryCompiler.builder(metered).withInterpreterFallback(InterpreterFallback.FAIL).compile();
        for (long x = -5; x <= 120; x++) {
            long expected = Instance.builder(plain).build().export("compute").apply(x)[0];
            Instance interpreted = Instance.builder(metered).build();
            Instance jit = Instance.builder(metered).withMachineFactory(compiled).build();
            interpreted.global(gas).setValue(10_000_000);
            jit.global(gas).setValue(10_000_000);
            assertThat(interpreted.export("compute").apply(x)[0]).as("x=%d interpreted", x).isEqualTo(expected);
            assertThat(jit.export("compute").apply(x)[0]).as("x=%d compiled", x).isEqualTo(expected);
            long usedInterpreted = 10_000_000 - interpreted.global(gas).getValue();
            long usedCompiled = 10_000_000 - jit.global(gas).getValue();
            assertThat(usedCompiled).as("x=%d gas", x).isEqualTo(usedInterpreted).isPositive();
        }
    }

    @Test
    void exhaustedGasTraps() throws Exception {
        WasmModule metered = Parser.parse(ModuleInstrumenter.instrument(ExampleContract.load("/semantics/control_flow.wasm")));
        Instance instance = Instance.builder(metered).build();
        instance.global(gasGlobal(metered)).setValue(50);
        assertThatThrownBy(() -> instance.export("compute").apply(14L)).isInstanceOf(ChicoryException.class);
        assertThat(instance.global(gasGlobal(metered)).getValue()).isNegative();
    }
}
