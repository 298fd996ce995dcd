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

    /** The bench's ids for the same workloads with declared access lists: {@code token-listed}, ... */
    public static final String LISTED_SUFFIX = "-listed";

    /** {@code token-listed}, {@code counter-listed}, {@code amm-listed}. */
    public static boolean isListedContractWorkload(String workload) {
        return workload.endsWith(LISTED_SUFFIX)
                && isContractWorkload(workload.substring(0, workload.length() - LISTED_SUFFIX.length()));
    }

    /**
     * The generator for a {@code -listed} workload id: the same chain as the base workload's
     * (same seed, same calls) except that every call declares its exact access list.
     */
    public static ContractChainGenerator listedGenerator(long seed, int blocks, int txsPerBlock, String listedWorkload,
                                                         int holders, SignatureScheme scheme) {
        if (!isListedContractWorkload(listedWorkload)) {
            throw new IllegalArgumentException("not a listed contract workload: " + listedWorkload);
        }
        String base = listedWorkload.substring(0, listedWorkload.length() - LISTED_SUFFIX.length());
        return new ContractChainGenerator(new ContractGeneratorOptions(seed, blocks, txsPerBlock,
                ContractWorkload.fromId(base), holders, scheme, true));
    }
}
