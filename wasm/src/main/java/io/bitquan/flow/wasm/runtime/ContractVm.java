package io.bitquan.flow.wasm.runtime;

import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import io.bitquan.flow.wasm.module.Limits;

/**
 * One thread's contract machinery: the host functions bound to this thread's current frame and
 * the instances it creates. Never shared between threads (Chicory instances are not
 * thread-safe), hence held in a ThreadLocal by {@link WasmContractRuntime}.
 */
final class ContractVm {
    private CallFrame frame;
    private final ImportValues imports;

    ContractVm() {
        this.imports = new HostFunctions(() -> frame).imports();
    }

    /** What an invocation ended with: status and the gas it left. */
    record Run(String status, long gasLeft) {
        boolean ok() {
            return Status.OK.equals(status);
        }
    }

    /**
     * Runs export {@code method} of a fresh instance with {@code gas} available. Returns a status
     * for every contract-level failure; lets every other exception (notably from state reads)
     * propagate untouched.
     */
    Run invoke(CompiledContract contract, String method, CallFrame call, long gas) {
        CallFrame previous = frame;
        frame = call;
        try {
            Instance instance;
            try {
                instance = contract.instantiate(imports);
            } catch (ChicoryException e) {
                return new Run(Status.TRAP_PREFIX + "instantiation failed: " + e.getMessage(), gas);
            }
            call.instance = instance;
            call.gas = instance.global(contract.gasGlobal());
            call.gas.setValue(gas);
            try {
                instance.export(method).apply();
                return new Run(Status.OK, call.gas.getValue());
            } catch (ContractFailure failure) {
                return new Run(failure.status(), Math.max(0, call.gas.getValue()));
            } catch (ChicoryException trap) {
                // A host exception may come back wrapped: a contract failure is ours to report,
                // anything else (e.g. a Block-STM read dependency) must reach the engine as thrown.
                for (Throwable c = trap.getCause(); c != null; c = c.getCause()) {
                    if (c instanceof ContractFailure failure) {
                        return new Run(failure.status(), Math.max(0, call.gas.getValue()));
                    }
                    if (!(c instanceof ChicoryException)) {
                        if (c instanceof RuntimeException re) {
                            throw re;
                        }
                        if (c instanceof Error err) {
                            throw err;
                        }
                    }
                }
                long left = call.gas.getValue();
                if (left < 0) {
                    return new Run(Status.OUT_OF_GAS, 0);
                }
                if (instance.global(contract.depthGlobal()).getValue() > Limits.MAX_CALL_DEPTH) {
                    return new Run(Status.DEPTH, left);
                }
                return new Run(Status.TRAP_PREFIX + trap.getMessage(), left);
            }
        } finally {
            frame = previous;
        }
    }
}
