package io.bitquan.flow.wasm;

import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import io.bitquan.flow.wasm.workload.ContractChainGenerator;
import io.bitquan.flow.wasm.workload.ContractGeneratorOptions;
import io.bitquan.flow.wasm.workload.ContractWorkload;

/**
 * The three things a caller (CLI, Flink job, bench) needs to run contracts: a VM with the contract
 * runtime, and the contract workloads' generator.
 */
public final class Contracts {
    private Contracts() {}

    /** Process-wide, so every engine, command and Flink subtask in a JVM shares one compile cache. */
    private static final class Shared {
        static final ChainVm VM = new ChainVm(new WasmContractRuntime());
    }

    /**
     * The chain VM with WebAssembly contracts enabled (compiled, per-thread instance reuse): one
     * shared instance per process. It is thread-safe (instances are per thread) and holds the
     * compiled modules, so every caller gets the same one.
     */
    public static ChainVm chainVm() {
        return Shared.VM;
    }

    /** {@code token}, {@code counter} and {@code amm}. */
    public static boolean isContractWorkload(String workload) {
        return ContractWorkload.isContractWorkload(workload);
    }

    /**
     * The generator for a contract workload; same surface as {@code ChainGenerator}
     * ({@code genesis()}, {@code config()}, {@code generate(sink, progress)}, {@code generateAll()}).
     *
     * @param holders token holders ({@code --holders}) or distinct callers for counter and amm
     */
    public static ContractChainGenerator generator(long seed, int blocks, int txsPerBlock, String workload, int holders,
                                                   SignatureScheme scheme) {
        return new ContractChainGenerator(new ContractGeneratorOptions(seed, blocks, txsPerBlock,
                ContractWorkload.fromId(workload), holders, scheme));
    }
}
