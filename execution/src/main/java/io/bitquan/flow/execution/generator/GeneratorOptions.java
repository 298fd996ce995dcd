package io.bitquan.flow.execution.generator;

import io.bitquan.flow.model.crypto.SignatureScheme;

/**
 * What to generate. The same options always give the byte-identical chain.
 *
 * @param invalidEvery 0 = none; K = before every K-th block, an invalid variant at the same height
 */
public record GeneratorOptions(long seed, int blocks, int txsPerBlock, Workload workload, int accounts,
                               int invalidEvery, SignatureScheme scheme) {

    public GeneratorOptions {
        if (blocks < 0 || txsPerBlock < 1 || accounts < 2 || invalidEvery < 0) {
            throw new IllegalArgumentException("need blocks >= 0, txs >= 1, accounts >= 2, invalid-every >= 0");
        }
    }

    public static GeneratorOptions of(long seed, int blocks, int txs, Workload workload) {
        return new GeneratorOptions(seed, blocks, txs, workload, 1000, 0, SignatureScheme.ED25519);
    }

    public GeneratorOptions withAccounts(int n) {
        return new GeneratorOptions(seed, blocks, txsPerBlock, workload, n, invalidEvery, scheme);
    }

    public GeneratorOptions withInvalidEvery(int k) {
        return new GeneratorOptions(seed, blocks, txsPerBlock, workload, accounts, k, scheme);
    }

    public GeneratorOptions withScheme(SignatureScheme s) {
        return new GeneratorOptions(seed, blocks, txsPerBlock, workload, accounts, invalidEvery, s);
    }
}
