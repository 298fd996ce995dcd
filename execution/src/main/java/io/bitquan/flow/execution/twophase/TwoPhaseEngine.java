package io.bitquan.flow.execution.twophase;

import io.bitquan.flow.execution.blockstm.InvariantViolation;
import io.bitquan.flow.execution.blockstm.MvMemory;
import io.bitquan.flow.execution.blockstm.ReadDependency;
import io.bitquan.flow.execution.blockstm.VersionedView;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.engine.TransactionFailed;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The roadmap's two-phase plan, kept as a baseline beside Block-STM:
 * <ol>
 *   <li><b>Optimistic round</b> (parallel): every transaction executes once against the
 *       pre-block state, ignoring the others; its reads and writes go to an {@link MvMemory} as
 *       incarnation 0.</li>
 *   <li><b>Ordered pass</b> (calling thread): in block order, a transaction whose read set is
 *       still valid (no lower transaction wrote what it read) keeps its result; any other is
 *       re-executed over the multi-version memory, where by then every lower transaction's
 *       write is final, and recorded as incarnation 1. The first final violation rejects.</li>
 * </ol>
 * It never aborts twice, but conflicting transactions run serially in phase 2, so it degrades
 * to sequential-plus-overhead under contention. Shares MvMemory, read descriptors, the worker
 * pool and the VM callback with Block-STM.
 */
public final class TwoPhaseEngine implements ExecutionEngine {
    private static final int CHUNK = 16;

    private final TransactionVm vm;
    private final int threads;
    private final boolean sequentialFallbackOnError;
    private final SequentialEngine sequential;
    private final WorkerPool pool;

    public TwoPhaseEngine(TransactionVm vm, int threads, boolean sequentialFallbackOnError) {
        this.vm = vm;
        this.threads = threads;
        this.sequentialFallbackOnError = sequentialFallbackOnError;
        this.sequential = new SequentialEngine(vm);
        this.pool = new WorkerPool(threads);
    }

    @Override
    public String name() {
        return "two-phase";
    }

    @Override
    public BlockOutput execute(BlockContext block, List<PreparedTx> txs, StateView base) {
        int n = txs.size();
        MvMemory memory = new MvMemory(n);
        AtomicReferenceArray<Object> results = new AtomicReferenceArray<>(n);
        AtomicInteger next = new AtomicInteger();
        try {
            pool.run(threads, (worker, stop) -> {
                int start;
                while (!stop.raised() && (start = next.getAndAdd(CHUNK)) < n) {
                    for (int i = start; i < Math.min(n, start + CHUNK); i++) {
                        execute(block, txs.get(i), i, base, memory, results, 0, true);
                    }
                }
            });
            long reExecutions = 0;
            List<TxOutcome> outcomes = new ArrayList<>(n);
            long fees = 0;
            for (int i = 0; i < n; i++) {
                if (!memory.validateReadSet(i)) {
                    execute(block, txs.get(i), i, base, memory, results, 1, false);
                    reExecutions++;
                }
                Object result = results.get(i);
                if (result instanceof TxOutcome outcome) {
                    outcomes.add(outcome);
                    fees += outcome.fee();
                } else if (result instanceof RuleViolation violation) {
                    return BlockOutput.rejected(violation, i, stats(n, i + 1, reExecutions, 0));
                } else if (result instanceof TransactionFailed vmFailure) {
                    throw new VmFailure(vmFailure);
                } else {
                    throw new InvariantViolation("two-phase: tx " + i + " has no result after phase 2");
                }
            }
            return SequentialEngine.finish(block, txs, memory.snapshot(), outcomes, fees, stats(n, n, reExecutions, 0));
        } catch (VmFailure f) {
            throw f.vmException;
        } catch (CancellationException interrupted) {
            throw interrupted;
        } catch (RuntimeException internal) {
            if (!sequentialFallbackOnError) {
                throw internal;
            }
            BlockOutput seq = sequential.execute(block, txs, base);
            ExecutionStats s = seq.stats();
            return new BlockOutput(seq.writes(), seq.outcomes(), seq.fees(), seq.violation(), seq.violationTx(),
                    new ExecutionStats(s.executions() + n, 0, 0, 1));
        }
    }

    private static ExecutionStats stats(int phaseOne, int validated, long reExecutions, int fallbacks) {
        return new ExecutionStats(phaseOne + reExecutions, reExecutions, validated, fallbacks);
    }

    /** One incarnation of the transaction at position {@code i} (the index every engine uses). */
    private void execute(BlockContext block, PreparedTx tx, int i, StateView base, MvMemory memory,
                         AtomicReferenceArray<Object> results, int incarnation, boolean storageOnly) {
        VersionedView view = new VersionedView(i, memory, base, storageOnly);
        Object result;
        try {
            result = vm.execute(tx, block, view);
        } catch (ReadDependency impossible) {
            throw new InvariantViolation("two-phase: tx " + i + " incarnation " + incarnation
                    + " read an ESTIMATE, but two-phase never writes one");
        } catch (RuleViolation violation) {
            result = violation;
        } catch (RuntimeException | Error failure) {
            // A speculative VM failure (phase 1 reads stale values): final only if it validates.
            if (!TransactionFailed.isTransactionFailure(failure)) {
                throw failure;
            }
            result = new TransactionFailed(i, failure);
        }
        if (view.blockedOn() >= 0) {
            throw new InvariantViolation("two-phase: tx " + i + " hit an ESTIMATE");
        }
        if (!(result instanceof TxOutcome)) {
            view.discardWrites();
        }
        results.set(i, result);
        view.recordInto(incarnation);
    }

    /** Carries a validated VM exception past the internal-failure handler. */
    private static final class VmFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final TransactionFailed vmException;

        VmFailure(TransactionFailed vmException) {
            super(null, null, false, false);
            this.vmException = vmException;
        }
    }

    /** The name prefix of this engine's worker threads. */
    public String threadNamePrefix() {
        return pool.threadNamePrefix();
    }

    @Override
    public void close() {
        pool.close();
    }
}
