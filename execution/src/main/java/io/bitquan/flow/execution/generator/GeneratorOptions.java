package io.bitquan.flow.execution.generator;

import io.bitquan.flow.model.crypto.SignatureScheme;

/**
 * What to generate. The same options always give the byte-identical chain.
 *
 * @param invalidEvery 0 = none; K = before every K-th block, an invalid variant at the same height
 * @param reorgEvery   0 = none; K = before every K-th block, a side branch of {@code reorgDepth}
 *                     valid blocks is connected and then disconnected again (a reorg as a node
 *                     relays it); the canonical chain, and so the final root, do not change
 * @param reorgDepth   blocks in each side branch (>= 1 when reorgEvery > 0)
 */
public record GeneratorOptions(long seed, int blocks, int txsPerBlock, Workload workload, int accounts,
                               int invalidEvery, SignatureScheme scheme, int reorgEvery, int reorgDepth) {

    public GeneratorOptions {
        if (blocks < 0 || txsPerBlock < 1 || accounts < 2 || invalidEvery < 0) {
            throw new IllegalArgumentException("need blocks >= 0, txs >= 1, accounts >= 2, invalid-every >= 0");
        }
        if (reorgEvery < 0 || reorgDepth < 0 || (reorgEvery > 0 && reorgDepth < 1)) {
            throw new IllegalArgumentException("need reorg-every >= 0, and reorg-depth >= 1 when reorg-every > 0");
        }
    }

    /** Without reorgs. */
    public GeneratorOptions(long seed, int blocks, int txsPerBlock, Workload workload, int accounts, int invalidEvery,
                            SignatureScheme scheme) {
        this(seed, blocks, txsPerBlock, workload, accounts, invalidEvery, scheme, 0, 0);
    }

    public static GeneratorOptions of(long seed, int blocks, int txs, Workload workload) {
        return new GeneratorOptions(seed, blocks, txs, workload, 1000, 0, SignatureScheme.ED25519);
    }

    public GeneratorOptions withAccounts(int n) {
        return new GeneratorOptions(seed, blocks, txsPerBlock, workload, n, invalidEvery, scheme, reorgEvery, reorgDepth);
    }

    public GeneratorOptions withInvalidEvery(int k) {
        return new GeneratorOptions(seed, blocks, txsPerBlock, workload, accounts, k, scheme, reorgEvery, reorgDepth);
    }

    public GeneratorOptions withScheme(SignatureScheme s) {
        return new GeneratorOptions(seed, blocks, txsPerBlock, workload, accounts, invalidEvery, s, reorgEvery, reorgDepth);
    }

    public GeneratorOptions withReorgs(int every, int depth) {
        return new GeneratorOptions(seed, blocks, txsPerBlock, workload, accounts, invalidEvery, scheme, every, depth);
    }
}
