package io.bitquan.flow.wasm.runtime;

import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.state.ContractCode;
import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled contracts by BLAKE3 hash of their instrumented code: each module is parsed and
 * compiled once per process, whichever thread asks first ({@link ConcurrentHashMap#computeIfAbsent}
 * runs the compile once per key). A per-thread identity map in front of it skips hashing the
 * code when the state hands back the same {@link ContractCode} object, as in-memory stores do.
 */
final class ModuleCache {
    private static final int THREAD_CACHE_MAX = 256;

    private final ExecutionMode mode;
    private final ConcurrentHashMap<ByteBuffer, CompiledContract> byHash = new ConcurrentHashMap<>();
    /** Per thread; cleared when full rather than evicted, which is simple and cheap enough. */
    private final ThreadLocal<Map<ContractCode, CompiledContract>> recent = ThreadLocal.withInitial(IdentityHashMap::new);

    ModuleCache(ExecutionMode mode) {
        this.mode = mode;
    }

    CompiledContract get(ContractCode code) {
        Map<ContractCode, CompiledContract> local = recent.get();
        CompiledContract c = local.get(code);
        if (c == null) {
            c = get(code.code());
            if (local.size() >= THREAD_CACHE_MAX) {
                local.clear();
            }
            local.put(code, c);
        }
        return c;
    }

    CompiledContract get(byte[] instrumented) {
        return byHash.computeIfAbsent(ByteBuffer.wrap(Blake3.hash(instrumented)), h -> CompiledContract.load(instrumented, mode));
    }

    int size() {
        return byHash.size();
    }
}
