package io.bitquan.flow.execution.blockstm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The collaborative scheduler of the Block-STM paper (Algorithm 4), one instance per block.
 * Method and field names are the paper's, in camel case.
 *
 * <p>Shared fields and their contracts:
 * <ul>
 *   <li>{@code executionIdx}, {@code validationIdx}: atomic counters; fetch-and-increment hands
 *       out candidate indices, {@link #decreaseExecutionIdx}/{@link #decreaseValidationIdx}
 *       lower them with a CAS loop (the paper's atomic min). Volatile ordering.</li>
 *   <li>{@code decreaseCnt}: incremented after every decrease, so {@link #checkDone} can tell
 *       that no decrease raced with its reading of the indices.</li>
 *   <li>{@code numActiveTasks}: incremented before an index is taken, decremented when the task
 *       (or its follow-up chain) ends; {@code done} needs it at zero.</li>
 *   <li>{@code doneMarker}: set once, never cleared.</li>
 *   <li>{@code txs[i].status/incarnation}: guarded by the monitor of {@code txs[i]}.</li>
 *   <li>{@code txs[i].dependents}: guarded by the monitor of that list. Lock order: a
 *       dependency list may be held while taking status monitors, never the reverse.</li>
 * </ul>
 */
public final class Scheduler {

    /** Per-transaction scheduling state; {@code status} and {@code incarnation} are guarded by {@code this}. */
    private static final class TxState {
        int incarnation;
        TxStatus status = TxStatus.READY_TO_EXECUTE;
        /** Transactions suspended on this one (paper: {@code txn_dependency}); guarded by itself. */
        final List<Integer> dependents = new ArrayList<>(2);
    }

    private final int blockSize;
    private final TxState[] txs;
    private final AtomicInteger executionIdx = new AtomicInteger();
    private final AtomicInteger validationIdx = new AtomicInteger();
    private final AtomicInteger decreaseCnt = new AtomicInteger();
    private final AtomicInteger numActiveTasks = new AtomicInteger();
    private final AtomicBoolean doneMarker = new AtomicBoolean();

    public Scheduler(int blockSize) {
        this.blockSize = blockSize;
        this.txs = new TxState[blockSize];
        for (int i = 0; i < blockSize; i++) {
            txs[i] = new TxState();
        }
        if (blockSize == 0) {
            doneMarker.set(true);
        }
    }

    public int blockSize() {
        return blockSize;
    }

    public boolean done() {
        return doneMarker.get();
    }

    private void decreaseExecutionIdx(int target) {
        executionIdx.getAndUpdate(v -> Math.min(v, target));
        decreaseCnt.incrementAndGet();
    }

    private void decreaseValidationIdx(int target) {
        validationIdx.getAndUpdate(v -> Math.min(v, target));
        decreaseCnt.incrementAndGet();
    }

    private void checkDone() {
        int observedCnt = decreaseCnt.get();
        if (Math.min(executionIdx.get(), validationIdx.get()) >= blockSize
                && numActiveTasks.get() == 0
                && observedCnt == decreaseCnt.get()) {
            doneMarker.set(true);
        }
    }

    /** Paper: {@code try_incarnate}. Takes over one active-task count from the caller. */
    private Task tryIncarnate(int txIndex) {
        if (txIndex < blockSize) {
            TxState tx = txs[txIndex];
            synchronized (tx) {
                if (tx.status == TxStatus.READY_TO_EXECUTE) {
                    tx.status = TxStatus.EXECUTING;
                    return Task.execution(txIndex, tx.incarnation);
                }
            }
        }
        numActiveTasks.decrementAndGet();
        return null;
    }

    private Task nextVersionToExecute() {
        if (executionIdx.get() >= blockSize) {
            checkDone();
            return null;
        }
        numActiveTasks.incrementAndGet();
        return tryIncarnate(executionIdx.getAndIncrement());
    }

    private Task nextVersionToValidate() {
        if (validationIdx.get() >= blockSize) {
            checkDone();
            return null;
        }
        numActiveTasks.incrementAndGet();
        int idx = validationIdx.getAndIncrement();
        if (idx < blockSize) {
            TxState tx = txs[idx];
            synchronized (tx) {
                if (tx.status == TxStatus.EXECUTED) {
                    return Task.validation(idx, tx.incarnation);
                }
            }
        }
        numActiveTasks.decrementAndGet();
        return null;
    }

    /** Paper: {@code next_task}; {@code null} is the paper's ⊥ (nothing to do right now). */
    public Task nextTask() {
        if (validationIdx.get() < executionIdx.get()) {
            return nextVersionToValidate();
        }
        return nextVersionToExecute();
    }

    /**
     * Paper: {@code add_dependency}. Suspends the executing {@code txIndex} until
     * {@code blockingTxIndex} finishes executing; returns {@code false} when it already has (the
     * caller re-executes at once).
     */
    public boolean addDependency(int txIndex, int blockingTxIndex) {
        if (blockingTxIndex >= txIndex || blockingTxIndex < 0) {
            throw new InvariantViolation("add_dependency: tx " + txIndex + " cannot wait for tx " + blockingTxIndex);
        }
        TxState blocking = txs[blockingTxIndex];
        synchronized (blocking.dependents) {
            synchronized (blocking) {
                if (blocking.status == TxStatus.EXECUTED) {
                    return false;
                }
            }
            TxState tx = txs[txIndex];
            synchronized (tx) {
                tx.status.checkTransition(TxStatus.ABORTING, txIndex, tx.incarnation, "add_dependency");
                tx.status = TxStatus.ABORTING;
            }
            blocking.dependents.add(txIndex);
        }
        numActiveTasks.decrementAndGet();
        return true;
    }

    /** Paper: {@code set_ready_status}: ABORTING(i) -> READY_TO_EXECUTE(i+1). */
    private void setReadyStatus(int txIndex) {
        TxState tx = txs[txIndex];
        synchronized (tx) {
            tx.status.checkTransition(TxStatus.READY_TO_EXECUTE, txIndex, tx.incarnation, "set_ready_status");
            tx.incarnation++;
            tx.status = TxStatus.READY_TO_EXECUTE;
        }
    }

    private void resumeDependencies(List<Integer> dependents) {
        int min = Integer.MAX_VALUE;
        for (int dep : dependents) {
            setReadyStatus(dep);
            min = Math.min(min, dep);
        }
        if (min != Integer.MAX_VALUE) {
            decreaseExecutionIdx(min);
        }
    }

    /**
     * Paper: {@code finish_execution}. Returns a validation task for the same version when it
     * can be validated right away, else {@code null}.
     */
    public Task finishExecution(int txIndex, int incarnation, boolean wroteNewLocation) {
        TxState tx = txs[txIndex];
        synchronized (tx) {
            if (tx.incarnation != incarnation) {
                throw new InvariantViolation("finish_execution: tx " + txIndex + " incarnation " + incarnation
                        + " finished but the scheduler is at incarnation " + tx.incarnation + " (" + tx.status + ")");
            }
            tx.status.checkTransition(TxStatus.EXECUTED, txIndex, incarnation, "finish_execution");
            tx.status = TxStatus.EXECUTED;
        }
        List<Integer> deps;
        synchronized (tx.dependents) {
            deps = tx.dependents.isEmpty() ? List.of() : new ArrayList<>(tx.dependents);
            tx.dependents.clear();
        }
        resumeDependencies(deps);
        if (validationIdx.get() > txIndex) {
            if (wroteNewLocation) {
                decreaseValidationIdx(txIndex);
            } else {
                return Task.validation(txIndex, incarnation);
            }
        }
        numActiveTasks.decrementAndGet();
        return null;
    }

    /** Paper: {@code try_validation_abort}: only the first failed validation of an incarnation aborts it. */
    public boolean tryValidationAbort(int txIndex, int incarnation) {
        TxState tx = txs[txIndex];
        synchronized (tx) {
            if (tx.incarnation == incarnation && tx.status == TxStatus.EXECUTED) {
                tx.status = TxStatus.ABORTING;
                return true;
            }
        }
        return false;
    }

    /**
     * Paper: {@code finish_validation}. After an abort, returns the next incarnation's execution
     * task when it can start right away.
     */
    public Task finishValidation(int txIndex, boolean aborted) {
        if (aborted) {
            setReadyStatus(txIndex);
            decreaseValidationIdx(txIndex + 1);
            if (executionIdx.get() > txIndex) {
                return tryIncarnate(txIndex);
            }
        }
        numActiveTasks.decrementAndGet();
        return null;
    }

    /** For workers that wait on a predicted dependency: is {@code txIndex} currently EXECUTED? */
    public boolean isExecuted(int txIndex) {
        TxState tx = txs[txIndex];
        synchronized (tx) {
            return tx.status == TxStatus.EXECUTED;
        }
    }

    /** Current incarnation of {@code txIndex} (tests and diagnostics). */
    public int incarnation(int txIndex) {
        TxState tx = txs[txIndex];
        synchronized (tx) {
            return tx.incarnation;
        }
    }

    /** Current status of {@code txIndex} (tests and diagnostics). */
    public TxStatus status(int txIndex) {
        TxState tx = txs[txIndex];
        synchronized (tx) {
            return tx.status;
        }
    }

    /** After {@link #done()}: every transaction must be EXECUTED, else the run is broken. */
    public void checkAllExecuted() {
        for (int i = 0; i < blockSize; i++) {
            TxState tx = txs[i];
            synchronized (tx) {
                if (tx.status != TxStatus.EXECUTED) {
                    throw new InvariantViolation("done: tx " + i + " incarnation " + tx.incarnation + " is " + tx.status);
                }
            }
        }
    }
}
