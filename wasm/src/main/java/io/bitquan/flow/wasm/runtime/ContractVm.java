package io.bitquan.flow.wasm.runtime;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.wasm.ChicoryException;
import io.bitquan.flow.wasm.module.Limits;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * One thread's contract machinery: the host functions bound to this thread's current frame and
 * the instances it creates. Never shared between threads (Chicory instances are not
 * thread-safe), hence held in a ThreadLocal by {@link WasmContractRuntime}.
 */
final class ContractVm {
    private static final int POOL_MAX = 64;

    private CallFrame frame;
    private final ImportValues imports;
    private final InstancePolicy policy;
    /** REUSE: one reset-able instance per module, this thread only. */
    private final Map<CompiledContract, Pooled> pool = new IdentityHashMap<>();

    /** A reusable instance with its post-instantiation globals. */
    private record Pooled(Instance instance, TrackingMemory memory, long[] globalsLow, long[] globalsHigh) {
        boolean reset() {
            if (memory != null && !memory.restore()) {
                return false;
            }
            for (int i = 0; i < globalsLow.length; i++) {
                GlobalInstance g = instance.global(i);
                g.setValueLow(globalsLow[i]);
                g.setValueHigh(globalsHigh[i]);
            }
            return true;
        }
    }

    ContractVm(InstancePolicy policy) {
        this.policy = policy;
        this.imports = new HostFunctions(() -> frame).imports();
    }

    private Instance acquire(CompiledContract contract) {
        if (policy == InstancePolicy.FRESH) {
            return contract.instantiate(imports, null);
        }
        Pooled p = pool.remove(contract);
        if (p != null) {
            return p.instance();
        }
        TrackingMemory[] memory = new TrackingMemory[1];
        Instance instance = contract.instantiate(imports, limits -> memory[0] = new TrackingMemory(limits));
        if (memory[0] != null) {
            memory[0].snapshot();
        }
        int n = instance.globalCount();
        long[] low = new long[n];
        long[] high = new long[n];
        for (int i = 0; i < n; i++) {
            low[i] = instance.global(i).getValueLow();
            high[i] = instance.global(i).getValueHigh();
        }
        pooledState.put(instance, new Pooled(instance, memory[0], low, high));
        return instance;
    }

    /** Post-instantiation state of instances handed out under REUSE, until released. */
    private final Map<Instance, Pooled> pooledState = new IdentityHashMap<>();

    /** Returns a reusable instance to the pool, reset; others, and ones whose memory grew, are dropped. */
    private void release(CompiledContract contract, Instance instance, boolean ok) {
        if (policy == InstancePolicy.FRESH) {
            return;
        }
        Pooled p = pooledState.get(instance);
        if (!ok || p == null || !p.reset()) {
            pooledState.remove(instance);
            return;
        }
        if (pool.size() >= POOL_MAX) {
            for (Pooled dropped : pool.values()) {
                pooledState.remove(dropped.instance());
            }
            pool.clear();
        }
        pool.put(contract, p);
    }

    /** What an invocation ended with: status and the gas it left. */
    record Run(String status, long gasLeft) {
        boolean ok() {
            return Status.OK.equals(status);
        }
    }

    /**
     * Runs export {@code method} with {@code gas} available. Returns a status for every
     * contract-level failure; lets every other exception (notably from state reads) propagate
     * untouched.
     */
    Run invoke(CompiledContract contract, String method, CallFrame call, long gas) {
        CallFrame previous = frame;
        frame = call;
        Instance instance = null;
        boolean ok = false;
        try {
            try {
                instance = acquire(contract);
            } catch (ChicoryException e) {
                return new Run(Status.TRAP_PREFIX + "instantiation failed", gas);
            }
            call.instance = instance;
            call.gas = instance.global(contract.gasGlobal());
            call.gas.setValue(gas);
            instance.global(contract.depthGlobal()).setValue(0);
            try {
                instance.export(method).apply();
                ok = true;
                return new Run(Status.OK, call.gas.getValue());
            } catch (ContractFailure failure) {
                return new Run(failure.status(), Math.max(0, call.gas.getValue()));
            } catch (ChicoryException trap) {
                return trapped(contract, instance, call, trap);
            }
        } finally {
            frame = previous;
            if (instance != null) {
                // Compiled machines hold no per-call state, so after any ending (a trap, a revert,
                // or a Block-STM dependency abort unwinding through the host) the memory and
                // globals reset is all it takes. The interpreter keeps its value and call stacks
                // in the machine, so an interpreted instance is reused only after a clean return.
                release(contract, instance, ok || contract.compiled());
            }
        }
    }

    private static Run trapped(CompiledContract contract, Instance instance, CallFrame call, ChicoryException trap) {
        // A host exception may come back wrapped: a contract failure is ours to report, anything
        // else (e.g. a Block-STM read dependency) must reach the engine as thrown.
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
        return new Run(Status.TRAP_PREFIX + TrapReason.of(trap.getMessage()), left);
    }
}
