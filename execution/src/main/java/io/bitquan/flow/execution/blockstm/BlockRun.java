package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.analysis.BlockDependencies;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateView;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One block's Block-STM run: the worker loop of the paper (Algorithm 1: {@code run},
 * {@code try_execute}, {@code needs_reexecution}) over one {@link Scheduler} and one
 * {@link MvMemory}. {@link #work} is what every pool worker runs; all other state is per block.
 *
 * <p>Shared fields: {@code results[i]} is written by the owner of tx {@code i}'s running
 * incarnation before {@code MvMemory.record} (so before the scheduler marks it EXECUTED) and read
 * only after the pool run returned (the latch gives happens-before). Counters are atomics.
 */
final class BlockRun {
    /** Upper bound on busy-waiting for a running predicted predecessor (then suspend as usual). */
    static final int SPIN_ON_RUNNING_PREDECESSOR = 1000;

    private final BlockContext block;
    private final List<PreparedTx> txs;
    private final StateView base;
    private final TransactionVm vm;
    private final BlockDependencies predicted;
    private final long abortBudget;

    final Scheduler scheduler;
    final MvMemory memory;
    /** Per tx: the TxOutcome, RuleViolation or other RuntimeException of its last recorded incarnation. */
    final AtomicReferenceArray<Object> results;
    final AtomicLong executions = new AtomicLong();
    final AtomicLong aborts = new AtomicLong();
    final AtomicLong validations = new AtomicLong();
    final AtomicLong dependencyWaits = new AtomicLong();
    /** Set when the abort budget was exceeded and the run abandoned. */
    volatile boolean contended;

    /**
     * @param predicted   predicted dependencies to wait for, or {@code null}
     * @param abortBudget abandon the run after this many aborts ({@code Long.MAX_VALUE} = never)
     */
    BlockRun(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm,
             BlockDependencies predicted, long abortBudget) {
        this.block = block;
        this.txs = txs;
        this.base = base;
        this.vm = vm;
        this.predicted = predicted;
        this.abortBudget = abortBudget;
        this.scheduler = new Scheduler(txs.size());
        this.memory = new MvMemory(txs.size());
        this.results = new AtomicReferenceArray<>(txs.size());
    }

    /** Paper, Algorithm 1, {@code run()}: take tasks until the scheduler is done. */
    void work(int worker, WorkerPool.Stop stop) {
        Task task = null;
        int idle = 0;
        while (!scheduler.done() && !stop.raised()) {
            if (task != null) {
                task = task.kind() == Task.Kind.EXECUTION ? tryExecute(task, stop) : needsReexecution(task, stop);
                continue;
            }
            task = scheduler.nextTask();
            if (task == null) {
                // Nothing to do until another worker finishes: spin briefly, then let others run
                // (matters when there are more workers than cores).
                if ((++idle & 31) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            } else {
                idle = 0;
            }
        }
    }

    /** Paper: {@code try_execute}; plus the analyzer's wait for predicted predecessors. */
    private Task tryExecute(Task task, WorkerPool.Stop stop) {
        int tx = task.txIndex();
        int incarnation = task.incarnation();
        if (predicted != null) {
            for (int p : predicted.predecessors(tx)) {
                // A predecessor another worker is running right now usually finishes within
                // microseconds: wait for it here rather than suspend, because every resumption
                // moves execution_idx back and makes all workers re-scan the indices above.
                for (int spins = 0; spins < SPIN_ON_RUNNING_PREDECESSOR && scheduler.isExecuting(p) && !stop.raised(); spins++) {
                    Thread.onSpinWait();
                }
                if (scheduler.addDependency(tx, p)) {
                    dependencyWaits.incrementAndGet();
                    return null;
                }
            }
        }
        while (true) {
            VersionedView view = new VersionedView(tx, memory, base, false);
            executions.incrementAndGet();
            Object result;
            try {
                result = vm.execute(txs.get(tx), block, view);
            } catch (ReadDependency dependency) {
                result = dependency;
            } catch (RuleViolation violation) {
                result = violation;
            } catch (InvariantViolation bug) {
                throw bug;
            } catch (RuntimeException speculative) {
                // May be an artefact of an inconsistent speculative read; final only if it validates.
                result = speculative;
            }
            if (view.blockedOn() >= 0) {
                countAbort(stop);
                if (scheduler.addDependency(tx, view.blockedOn())) {
                    return null;
                }
                continue; // the blocking tx finished meanwhile: re-execute now
            }
            if (!(result instanceof io.bitquan.flow.model.rules.TxOutcome)) {
                view.discardWrites();
            }
            results.set(tx, result);
            StateKey[] keys = view.writeKeys();
            boolean wroteNew = memory.record(new Version(tx, incarnation), view.readSet(), keys, view.writeValues());
            return scheduler.finishExecution(tx, incarnation, wroteNew);
        }
    }

    /** Paper: {@code needs_reexecution}. */
    private Task needsReexecution(Task task, WorkerPool.Stop stop) {
        int tx = task.txIndex();
        validations.incrementAndGet();
        boolean valid = memory.validateReadSet(tx);
        boolean aborted = !valid && scheduler.tryValidationAbort(tx, task.incarnation());
        if (aborted) {
            countAbort(stop);
            memory.convertWritesToEstimates(tx);
        }
        return scheduler.finishValidation(tx, aborted);
    }

    private void countAbort(WorkerPool.Stop stop) {
        if (aborts.incrementAndGet() > abortBudget) {
            contended = true;
            stop.raise();
        }
    }
}
