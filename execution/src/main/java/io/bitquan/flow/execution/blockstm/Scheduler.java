package io.bitquan.flow.execution.blockstm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The collaborative scheduler of the Block-STM paper (Algorithm 4), one instance per block.
 * Method and field names are the paper's, in camel case.
 *
 * <p>Shared fields and their contracts:
 * <ul>
 *   <li>{@code executionIdx}, {@code validationIdx} (slots of {@code counters}): atomic counters; fetch-and-increment hands
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

    /**
     * Per-transaction scheduling state; {@code status} and {@code incarnation} are written only
     * under {@code this}. {@code status} is volatile so {@link #isExecuting} can peek without the
     * lock (a scheduling hint, never a decision).
     */
    private static final class TxState {
        int incarnation;
        volatile TxStatus status = TxStatus.READY_TO_EXECUTE;
        /** Transactions suspended on this one (paper: {@code txn_dependency}); guarded by itself. */
        final List<Integer> dependents = new ArrayList<>(2);
    }

    private final int blockSize;
    private final TxState[] txs;
    /**
     * The four shared counters live in one array, 16 ints (64 bytes, one cache line) apart, so
     * that workers hammering one (execution_idx) do not invalidate the others' line (false
     * sharing): separately allocated atomics land side by side in memory.
     */
    private final AtomicIntegerArray counters = new AtomicIntegerArray(4 * STRIDE);
    private static final int STRIDE = 16;
    private static final int EXECUTION_IDX = 0;
    private static final int VALIDATION_IDX = STRIDE;
    private static final int DECREASE_CNT = 2 * STRIDE;
    private static final int NUM_ACTIVE_TASKS = 3 * STRIDE;
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
        counters.getAndUpdate(EXECUTION_IDX, v -> Math.min(v, target));
        counters.incrementAndGet(DECREASE_CNT);
    }

    private void decreaseValidationIdx(int target) {
        counters.getAndUpdate(VALIDATION_IDX, v -> Math.min(v, target));
        counters.incrementAndGet(DECREASE_CNT);
    }

    private void checkDone() {
        int observedCnt = counters.get(DECREASE_CNT);
        if (Math.min(counters.get(EXECUTION_IDX), counters.get(VALIDATION_IDX)) >= blockSize
                && counters.get(NUM_ACTIVE_TASKS) == 0
                && observedCnt == counters.get(DECREASE_CNT)) {
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
        counters.decrementAndGet(NUM_ACTIVE_TASKS);
        return null;
    }

    private Task nextVersionToExecute() {
        if (counters.get(EXECUTION_IDX) >= blockSize) {
            checkDone();
            return null;
        }
        counters.incrementAndGet(NUM_ACTIVE_TASKS);
        return tryIncarnate(counters.getAndIncrement(EXECUTION_IDX));
    }

    private Task nextVersionToValidate() {
        if (counters.get(VALIDATION_IDX) >= blockSize) {
            checkDone();
            return null;
        }
        counters.incrementAndGet(NUM_ACTIVE_TASKS);
        int idx = counters.getAndIncrement(VALIDATION_IDX);
        if (idx < blockSize) {
            TxState tx = txs[idx];
            synchronized (tx) {
                if (tx.status == TxStatus.EXECUTED) {
                    return Task.validation(idx, tx.incarnation);
                }
            }
        }
        counters.decrementAndGet(NUM_ACTIVE_TASKS);
        return null;
    }

    /** Paper: {@code next_task}; {@code null} is the paper's ⊥ (nothing to do right now). */
    public Task nextTask() {
        if (counters.get(VALIDATION_IDX) < counters.get(EXECUTION_IDX)) {
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
        counters.decrementAndGet(NUM_ACTIVE_TASKS);
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
        if (counters.get(VALIDATION_IDX) > txIndex) {
            if (wroteNewLocation) {
                decreaseValidationIdx(txIndex);
            } else {
                return Task.validation(txIndex, incarnation);
            }
        }
        counters.decrementAndGet(NUM_ACTIVE_TASKS);
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
            if (counters.get(EXECUTION_IDX) > txIndex) {
                return tryIncarnate(txIndex);
            }
        }
        counters.decrementAndGet(NUM_ACTIVE_TASKS);
        return null;
    }

    /** Lock-free hint for workers waiting on a predicted predecessor: is it running right now? */
    public boolean isExecuting(int txIndex) {
        return txs[txIndex].status == TxStatus.EXECUTING;
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
