package io.bitquan.flow.wasm.workload;

import io.bitquan.flow.model.crypto.SignatureScheme;

/**
 * What {@link ContractChainGenerator} generates; the same options always give the byte-identical
 * chain.
 *
 * @param holders token holders (token) or distinct callers (counter, amm); each is a funded account
 * @param declareAccessLists every call carries its exact access list (the storage slots it
 *        touches, EIP-2930 style) instead of none; off by default, so the default chains (and
 *        every golden root) are unchanged. The bench's {@code token-listed}, {@code amm-listed}, ...
 */
public record ContractGeneratorOptions(long seed, int blocks, int txsPerBlock, ContractWorkload workload,
                                       int holders, SignatureScheme scheme, boolean declareAccessLists) {

    public ContractGeneratorOptions {
        if (blocks < 0 || txsPerBlock < 1 || holders < 2) {
            throw new IllegalArgumentException("need blocks >= 0, txs >= 1, holders >= 2");
        }
    }

    public ContractGeneratorOptions(long seed, int blocks, int txsPerBlock, ContractWorkload workload, int holders,
                                    SignatureScheme scheme) {
        this(seed, blocks, txsPerBlock, workload, holders, scheme, false);
    }

    public static ContractGeneratorOptions of(long seed, int blocks, int txs, ContractWorkload workload, int holders) {
        return new ContractGeneratorOptions(seed, blocks, txs, workload, holders, SignatureScheme.ED25519);
    }

    public ContractGeneratorOptions withScheme(SignatureScheme s) {
        return new ContractGeneratorOptions(seed, blocks, txsPerBlock, workload, holders, s, declareAccessLists);
    }

    /** The same chain with (or without) a declared access list on every call. */
    public ContractGeneratorOptions withAccessLists(boolean declare) {
        return new ContractGeneratorOptions(seed, blocks, txsPerBlock, workload, holders, scheme, declare);
    }
}
