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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * The prepare step a node runs before execution: decode (tx ids and hashes) and verify every
 * signature. Verification is embarrassingly parallel; the answer does not depend on how it is
 * split because the lowest failing index is reported.
 *
 * <p>With an {@link AssumeValid} set, the signatures of the blocks in it are not verified
 * (assume-valid replay, docs/ASSUME-VALID.md); every other block is verified in full.
 */
public final class BlockPreparer {
    private final ForkJoinPool pool;
    private final AssumeValid assumeValid;
    /** Blocks whose signature checks were skipped; written by the chain's thread, read by reports. */
    private final AtomicLong assumedValid = new AtomicLong();

    /** @param pool where signatures are verified; {@code null} verifies on the calling thread */
    public BlockPreparer(ForkJoinPool pool) {
        this(pool, AssumeValid.NONE);
    }

    /** @param assumeValid blocks whose signatures are assumed valid ({@link AssumeValid#NONE}: none) */
    public BlockPreparer(ForkJoinPool pool, AssumeValid assumeValid) {
        this.pool = pool;
        this.assumeValid = assumeValid;
    }

    /** How many blocks had their signatures assumed valid (checks skipped) so far. */
    public long assumedValidBlocks() {
        return assumedValid.get();
    }

    /**
     * The signature verdict for block {@code blockId}: {@code null} without checking when the
     * block is in the assume-valid set, else {@link #verifySignatures(List, String, SignatureScheme)}.
     */
    public RuleViolation verifySignatures(byte[] blockId, List<PreparedTx> txs, String chainId, SignatureScheme scheme) {
        if (assumeValid.skipsSignatures(blockId)) {
            assumedValid.incrementAndGet();
            return null;
        }
        return verifySignatures(txs, chainId, scheme);
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

    /**
     * {@link #decode} on the pool: tx ids and hashes (BLAKE3 over each full encoding, ~5.5 KB with
     * ML-DSA) are the largest serial cost once signatures are assumed valid. Each index is computed
     * independently into its own slot; if transactions fail, the lowest index's exception is thrown,
     * so the outcome does not depend on the split.
     */
    public List<PreparedTx> decodeParallel(Block block) {
        List<Transaction> txs = block.getTransactions();
        if (pool == null || txs.size() < 64) {
            return decode(block);
        }
        PreparedTx[] out = new PreparedTx[txs.size()];
        RuntimeException[] failures = new RuntimeException[txs.size()];
        pool.submit(() -> IntStream.range(0, txs.size()).parallel().forEach(i -> {
            try {
                out[i] = PreparedTx.of(i, txs.get(i));
            } catch (RuntimeException e) {
                failures[i] = e;
            }
        })).join();
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        return new ArrayList<>(java.util.Arrays.asList(out));
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
