package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.SignatureRules;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The prepare step a node runs before execution: decode (tx ids and hashes) and verify every
 * signature. Verification is embarrassingly parallel; the answer does not depend on how it is
 * split because the lowest failing index is reported.
 */
public final class BlockPreparer {
    private final ForkJoinPool pool;

    /** @param pool where signatures are verified; {@code null} verifies on the calling thread */
    public BlockPreparer(ForkJoinPool pool) {
        this.pool = pool;
    }

    /** The pool that verifies signatures (and hashes commitments); {@code null} = calling thread. */
    public ForkJoinPool pool() {
        return pool;
    }

    public static List<PreparedTx> decode(Block block) {
        List<Transaction> txs = block.getTransactions();
        List<PreparedTx> out = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            out.add(PreparedTx.of(i, txs.get(i)));
        }
        return out;
    }

    /** The violation of the lowest-index transaction whose signature fails, or {@code null}. */
    public RuleViolation verifySignatures(List<PreparedTx> txs, String chainId, SignatureScheme scheme) {
        RuleViolation[] results = new RuleViolation[txs.size()];
        if (pool == null || txs.size() < 8) {
            for (int i = 0; i < txs.size(); i++) {
                results[i] = SignatureRules.check(txs.get(i), chainId, scheme);
                if (results[i] != null) {
                    return results[i];
                }
            }
            return null;
        }
        pool.submit(() -> IntStream.range(0, txs.size()).parallel()
                .forEach(i -> results[i] = SignatureRules.check(txs.get(i), chainId, scheme))).join();
        for (RuleViolation result : results) {
            if (result != null) {
                return result;
            }
        }
        return null;
    }
}
