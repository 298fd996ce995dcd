package io.bitquan.flow.wasm.runtime;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionType;
import io.bitquan.flow.wasm.module.ModuleInstrumenter;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * One instrumented module, parsed and (in compiled mode) compiled to JVM bytecode: immutable and
 * shared by all threads. Instances made from it are not shared (see {@link ContractVm}).
 */
final class CompiledContract {
    static final String CONSTRUCTOR = "init";

    private final WasmModule module;
    private final Function<Instance, Machine> machineFactory;
    private final int gasGlobal;
    private final int depthGlobal;
    /** Exported functions of type () -> () other than the constructor: what a call may name. */
    private final Set<String> methods;
    private final boolean hasConstructor;

    private CompiledContract(WasmModule module, Function<Instance, Machine> machineFactory, int gasGlobal,
                             int depthGlobal, Set<String> methods, boolean hasConstructor) {
        this.module = module;
        this.machineFactory = machineFactory;
        this.gasGlobal = gasGlobal;
        this.depthGlobal = depthGlobal;
        this.methods = methods;
        this.hasConstructor = hasConstructor;
    }

    /** Parses and compiles instrumented code; Chicory's validator rejects anything ill-typed. */
    static CompiledContract load(byte[] instrumented, ExecutionMode mode) {
        WasmModule module = Parser.parse(instrumented);
        int gas = -1;
        int depth = -1;
        Set<String> methods = new HashSet<>();
        boolean ctor = false;
        int imported = module.importSection().count(ExternalType.FUNCTION);
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            if (e.exportType() == ExternalType.GLOBAL && e.name().equals(ModuleInstrumenter.GAS_GLOBAL_EXPORT)) {
                gas = e.index();
            } else if (e.exportType() == ExternalType.GLOBAL && e.name().equals(ModuleInstrumenter.DEPTH_GLOBAL_EXPORT)) {
                depth = e.index();
            } else if (e.exportType() == ExternalType.FUNCTION && e.index() >= imported) {
                FunctionType t = module.functionSection().getFunctionType(e.index() - imported, module.typeSection());
                if (t.params().isEmpty() && t.returns().isEmpty()) {
                    if (e.name().equals(CONSTRUCTOR)) {
                        ctor = true;
                    } else {
                        methods.add(e.name());
                    }
                }
            }
        }
        if (gas < 0 || depth < 0) {
            throw new IllegalArgumentException("code is not instrumented (no gas or depth global)");
        }
        // Compiled in both modes: a module the compiler rejects is invalid for every node, so
        // deploy validity never depends on the execution mode a node runs.
        Function<Instance, Machine> compiled =
                MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.FAIL).compile();
        Function<Instance, Machine> factory = mode == ExecutionMode.COMPILED ? compiled : null;
        return new CompiledContract(module, factory, gas, depth, Set.copyOf(methods), ctor);
    }

    /** @param memoryFactory {@code null} for Chicory's default memory */
    Instance instantiate(ImportValues imports, Function<MemoryLimits, Memory> memoryFactory) {
        Instance.Builder b = Instance.builder(module).withImportValues(imports);
        if (memoryFactory != null) {
            b.withMemoryFactory(memoryFactory);
        }
        if (machineFactory != null) {
            b.withMachineFactory(machineFactory);
        }
        return b.build();
    }

    /** True when instances run compiled code, whose machines keep no state between calls. */
    boolean compiled() {
        return machineFactory != null;
    }

    int gasGlobal() {
        return gasGlobal;
    }

    int depthGlobal() {
        return depthGlobal;
    }

    boolean hasMethod(String name) {
        return methods.contains(name);
    }

    boolean hasConstructor() {
        return hasConstructor;
    }
}
