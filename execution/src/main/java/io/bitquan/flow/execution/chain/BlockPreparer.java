package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.SignatureRules;
import io.bitquan.flow.model.chain.BlockHashes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.RecursiveAction;
import java.util.function.IntConsumer;

/**
 * The prepare step a node runs before execution: decode (tx ids and hashes) and verify every
 * signature. Verification is embarrassingly parallel; the answer does not depend on how it is
 * split because the lowest failing index is reported.
 *
 * <p>With an {@link AssumeValid} set, the signatures of the blocks in it are not verified
 * (assume-valid replay, docs/ASSUME-VALID.md); every other block is verified in full.
 *
 * <p>{@link #prepareAhead} starts a block's decode and signature checks on the pool before the
 * chain asks for them (a node's pipeline: the next block verified while this one executes and
 * commits). The answers are the ones asked for in turn would give: the same decoded list or the
 * same exception, the same lowest-index verdict; assume-valid blocks are still skipped and counted
 * only when the chain asks. Blocks prepared but never asked for (stored, duplicates) are dropped.
 */
public final class BlockPreparer {
    private final ForkJoinPool pool;
    private final AssumeValid assumeValid;
    /** Blocks whose signature checks were skipped; written by the chain's thread, read by reports. */
    private final AtomicLong assumedValid = new AtomicLong();
    /** Wall time spent in {@link #decodeParallel} / {@link #verifySignatures} (measurement: the bench's phase line). */
    private final AtomicLong decodeNanos = new AtomicLong();
    private final AtomicLong verifyNanos = new AtomicLong();
    /** Blocks prepared ahead ({@link #prepareAhead}), oldest first; touched by the chain's thread only. */
    private final ArrayDeque<Ahead> ahead = new ArrayDeque<>();
    /** The block being processed and the next one; an older entry was never asked for. */
    private static final int MAX_AHEAD = 2;

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
        Ahead a = preparedAhead(txs, blockId, chainId, scheme);
        if (a != null) {
            ahead.removeIf(x -> x == a); // by identity: a record's equals would compare whole blocks
            long t0 = System.nanoTime();
            try {
                return await(a).verdict(); // the verdict verifySignatures(txs, ...) gives, or its exception
            } finally {
                verifyNanos.addAndGet(System.nanoTime() - t0);
            }
        }
        return verifySignatures(txs, chainId, scheme);
    }

    /**
     * Starts decoding {@code block} and verifying its signatures on the pool, so that
     * {@link #decodeParallel} and {@link #verifySignatures(byte[], List, String, SignatureScheme)}
     * for this very block object find the work done or under way. Nothing without a pool.
     */
    public void prepareAhead(Block block, String chainId, SignatureScheme scheme) {
        if (pool == null) {
            return;
        }
        byte[] id = BlockHashes.headerId(block.getHeader());
        boolean verify = !assumeValid.skipsSignatures(id);
        CompletableFuture<Prepared> work = CompletableFuture.supplyAsync(() -> {
            List<PreparedTx> txs;
            try {
                txs = decodeOnPool(block);
            } catch (RuntimeException e) {
                return new Prepared(null, e, null, null);
            }
            if (!verify) {
                return new Prepared(txs, null, null, null);
            }
            try {
                return new Prepared(txs, null, verifyOnPool(txs, chainId, scheme), null);
            } catch (RuntimeException e) {
                return new Prepared(txs, null, null, e);
            }
        }, pool);
        ahead.addLast(new Ahead(block, id, chainId, scheme, verify, work));
        while (ahead.size() > MAX_AHEAD) {
            ahead.removeFirst();
        }
    }

    /** What {@link #prepareAhead} computed: the decoded txs or the decode's exception, then the verdict or its exception. */
    private record Prepared(List<PreparedTx> txs, RuntimeException decodeFailure, RuleViolation verdictOrNull,
                            RuntimeException verifyFailure) {
        List<PreparedTx> decoded() {
            if (decodeFailure != null) {
                throw decodeFailure;
            }
            return txs;
        }

        RuleViolation verdict() {
            if (verifyFailure != null) {
                throw verifyFailure;
            }
            return verdictOrNull;
        }
    }

    private record Ahead(Block block, byte[] id, String chainId, SignatureScheme scheme, boolean verify,
                         CompletableFuture<Prepared> work) {}

    private static Prepared await(Ahead a) {
        try {
            return a.work().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e; // only an Error escapes the task's own catches
        }
    }

    private Ahead preparedAhead(Block block) {
        for (Ahead a : ahead) {
            if (a.block() == block) {
                return a;
            }
        }
        return null;
    }

    /**
     * The entry whose decode handed out exactly {@code txs} (so it is done) for the same block id,
     * chain and scheme, with its signatures verified ahead; null if none.
     */
    private Ahead preparedAhead(List<PreparedTx> txs, byte[] blockId, String chainId, SignatureScheme scheme) {
        for (Ahead a : ahead) {
            Prepared p = a.work().getNow(null);
            if (p != null && p.txs() == txs && a.verify() && Arrays.equals(a.id(), blockId) && a.chainId().equals(chainId)
                    && a.scheme() == scheme) {
                return a;
            }
        }
        return null;
    }

    /** Wall nanoseconds spent decoding ({@link #decodeParallel}) so far (measurement only). */
    public long decodeNanos() {
        return decodeNanos.get();
    }

    /** Wall nanoseconds spent verifying signatures so far (measurement only). */
    public long verifyNanos() {
        return verifyNanos.get();
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
        long t0 = System.nanoTime();
        try {
            Ahead a = preparedAhead(block);
            return a != null ? await(a).decoded() : decodeOnPool(block);
        } finally {
            decodeNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private List<PreparedTx> decodeOnPool(Block block) {
        List<Transaction> txs = block.getTransactions();
        if (pool == null || txs.size() < 64) {
            return decode(block);
        }
        PreparedTx[] out = new PreparedTx[txs.size()];
        RuntimeException[] failures = new RuntimeException[txs.size()];
        forEachOnPool(txs.size(), i -> {
            try {
                out[i] = PreparedTx.of(i, txs.get(i));
            } catch (RuntimeException e) {
                failures[i] = e;
            }
        });
        for (RuntimeException failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        return new ArrayList<>(java.util.Arrays.asList(out));
    }

    /** The violation of the lowest-index transaction whose signature fails, or {@code null}. */
    public RuleViolation verifySignatures(List<PreparedTx> txs, String chainId, SignatureScheme scheme) {
        long t0 = System.nanoTime();
        try {
            return verifyOnPool(txs, chainId, scheme);
        } finally {
            verifyNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private RuleViolation verifyOnPool(List<PreparedTx> txs, String chainId, SignatureScheme scheme) {
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
        forEachOnPool(txs.size(), i -> results[i] = SignatureRules.check(txs.get(i), chainId, scheme));
        for (RuleViolation result : results) {
            if (result != null) {
                return result;
            }
        }
        return null;
    }

    /**
     * {@code body} for every index in [0, n) on the pool, in leaves of {@link Leaves#GRAIN}
     * indices, and waits. Not a parallel stream: a stream sizes its leaves from the common pool's
     * parallelism (cores - 1, times 4), which on 2 cores is 4 leaves of a quarter of the block
     * each, so one late leaf (a worker the OS preempted, slower checks) left the other core idle
     * until it ended; small leaves let the free worker take what is left.
     */
    private void forEachOnPool(int n, IntConsumer body) {
        pool.invoke(new Leaves(0, n, body));
    }

    private static final class Leaves extends RecursiveAction {
        /** Indices per leaf: 8 ML-DSA checks are ~1-2 ms, far above a task's cost. */
        static final int GRAIN = 8;
        private final int from;
        private final int to;
        private final IntConsumer body;

        Leaves(int from, int to, IntConsumer body) {
            this.from = from;
            this.to = to;
            this.body = body;
        }

        @Override
        protected void compute() {
            if (to - from <= GRAIN) {
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Leaves(from, mid, body), new Leaves(mid, to, body));
        }
    }
}
