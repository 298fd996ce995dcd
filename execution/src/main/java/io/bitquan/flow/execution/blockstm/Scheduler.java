package io.bitquan.flow.execution.blockstm;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The collaborative scheduler of the Block-STM paper (Algorithms 4 and 5), one instance per
 * block, without locks, plus a rolling commit index (Aptos's {@code commit_idx}). Method names
 * are the paper's, in camel case.
 *
 * <p>Commit index: {@code commitIdx} is the length of the block's <em>final</em> prefix. An
 * EXECUTED incarnation is final (the FINAL bit of its state) when its reads are known to be the
 * block's final values: it started executing when every lower transaction was already committed
 * ({@link #finishExecution(int, int, boolean, boolean)} with {@code finalReads}), or a validation
 * that started then passed ({@link #markFinal}). A final incarnation is never aborted
 * ({@link #tryValidationAbort} fails on it) and never validated again, so once the transaction at
 * {@code commitIdx} is final the index moves past it ({@link #tryCommit}, a CAS any worker may
 * win). Validation skips the committed prefix entirely. At one worker every transaction starts
 * over a committed prefix, so nothing is ever validated; at several, a transaction claimed after
 * its predecessors committed needs no validation either.
 *
 * <p>Shared fields and their contracts:
 * <ul>
 *   <li>{@code executionIdx}, {@code validationIdx}, {@code decreaseCnt}, {@code numActiveTasks}
 *       (slots of {@code counters}, one cache line apart): as in the paper; fetch-and-increment
 *       hands out candidate indices, the decreases are CAS loops (the paper's atomic min).</li>
 *   <li>{@code state[slot(i)]}: transaction {@code i}'s status, FINAL bit and incarnation
 *       packed in one int ({@code incarnation << 3 | final << 2 | status}), changed only by CAS or by the one thread that
 *       owns the current state (the executor of EXECUTING(i), the holder of ABORTING(i)). 
 *       Neighbouring transactions' ints are in different cache lines ({@link #slot}): they are
 *       exactly the ones two workers touch at the same time (false sharing).</li>
 *   <li>{@code dependents[i]}: a lock-free stack (Treiber) of transactions suspended on {@code i};
 *       {@link #CLOSED} once the current incarnation of {@code i} finished executing (the paper's
 *       "is EXECUTED" test under the lock), reopened when that incarnation is aborted, before its
 *       writes become ESTIMATEs, so a reader that meets an ESTIMATE always finds it open or finds
 *       the next incarnation already finished.</li>
 *   <li>{@code doneMarker}: set once, never cleared.</li>
 * </ul>
 */
public final class Scheduler {

    /** One suspended transaction in a dependents stack. Immutable. */
    private record Dependent(int txIndex, Dependent next) {}

    /** Marks a closed stack: the blocking transaction has finished executing. */
    private static final Dependent CLOSED = new Dependent(-1, null);

    /** Ints per counter: 64 bytes, one cache line. */
    private static final int STRIDE = 16;
    /** Residues of the state layout (see {@link #slot}): 16 ints per 64-byte line. */
    private static final int SPREAD = 16;
    private static final int EXECUTION_IDX = 0;
    private static final int VALIDATION_IDX = STRIDE;
    private static final int DECREASE_CNT = 2 * STRIDE;
    private static final int NUM_ACTIVE_TASKS = 3 * STRIDE;
    private static final int COMMIT_IDX = 4 * STRIDE;
    /** The FINAL bit of a packed state: set only together with EXECUTED, never cleared. */
    private static final int FINAL = 4;
    private static final TxStatus[] STATUSES = TxStatus.values();

    private final int blockSize;
    private final AtomicIntegerArray state;
    /** See {@link #slot}: transactions per residue segment of {@code state}. */
    private final int segment;
    private final TxSlots<Dependent> dependents;
    private final AtomicIntegerArray counters = new AtomicIntegerArray(5 * STRIDE);
    private volatile boolean doneMarker;

    public Scheduler(int blockSize) {
        this.blockSize = blockSize;
        // READY_TO_EXECUTE is ordinal 0 and incarnation 0: a zeroed array is the initial state.
        this.segment = (blockSize + SPREAD - 1) / SPREAD;
        this.state = new AtomicIntegerArray(Math.max(1, segment * SPREAD));
        this.dependents = new TxSlots<>(blockSize);
        this.doneMarker = blockSize == 0;
    }

    static int pack(int incarnation, TxStatus status) {
        return incarnation << 3 | status.ordinal();
    }

    static int incarnationOf(int packed) {
        return packed >>> 3;
    }

    private static boolean finalBit(int packed) {
        return (packed & FINAL) != 0;
    }

    static TxStatus statusOf(int packed) {
        return STATUSES[packed & 3];
    }

    /**
     * Where transaction {@code i}'s state lives: {@code (i mod 16) * segment + i / 16}, as in
     * {@link TxSlots}. Neighbouring transactions (the ones two workers touch at the same time)
     * land in different cache lines, as with one padded line per transaction, but the array is
     * 4 bytes per transaction instead of 64: a 10,000-transaction block zeroed and then missed
     * 640 KB of state lines per block, one cold line per transaction.
     */
    private int slot(int txIndex) {
        return (txIndex & (SPREAD - 1)) * segment + (txIndex >>> 4);
    }

    private int load(int txIndex) {
        return state.get(slot(txIndex));
    }

    /** A transition only the current owner makes; checked, then published with a volatile store. */
    private void move(int txIndex, int from, TxStatus to, int incarnation, String operation) {
        move(txIndex, from, to, incarnation, false, operation);
    }

    private void move(int txIndex, int from, TxStatus to, int incarnation, boolean makeFinal, String operation) {
        statusOf(from).checkTransition(to, txIndex, incarnationOf(from), operation);
        if (!state.compareAndSet(slot(txIndex), from, pack(incarnation, to) | (makeFinal ? FINAL : 0))) {
            throw new InvariantViolation(operation + ": tx " + txIndex + " changed state under its owner (was "
                    + statusOf(from) + "(" + incarnationOf(from) + "), now " + status(txIndex) + ")");
        }
    }

    public int blockSize() {
        return blockSize;
    }

    public boolean done() {
        return doneMarker;
    }

    private void decreaseExecutionIdx(int target) {
        atomicMin(EXECUTION_IDX, target);
        counters.incrementAndGet(DECREASE_CNT);
    }

    private void decreaseValidationIdx(int target) {
        atomicMin(VALIDATION_IDX, target);
        counters.incrementAndGet(DECREASE_CNT);
    }

    private void atomicMin(int slot, int target) {
        int v;
        while ((v = counters.get(slot)) > target && !counters.compareAndSet(slot, v, target)) {
            Thread.onSpinWait();
        }
    }

    private void checkDone() {
        int observedCnt = counters.get(DECREASE_CNT);
        if (Math.min(counters.get(EXECUTION_IDX), counters.get(VALIDATION_IDX)) >= blockSize
                && counters.get(NUM_ACTIVE_TASKS) == 0
                && observedCnt == counters.get(DECREASE_CNT)) {
            doneMarker = true;
        }
    }

    /** Paper: {@code try_incarnate}. Takes over one active-task count from the caller. */
    private Task tryIncarnate(int txIndex) {
        if (txIndex < blockSize) {
            int s = load(txIndex);
            if (statusOf(s) == TxStatus.READY_TO_EXECUTE
                    && state.compareAndSet(slot(txIndex), s, pack(incarnationOf(s), TxStatus.EXECUTING))) {
                return Task.execution(txIndex, incarnationOf(s));
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
            int s = load(idx);
            if (statusOf(s) == TxStatus.EXECUTED && !finalBit(s)) {
                return Task.validation(idx, incarnationOf(s));
            }
        }
        counters.decrementAndGet(NUM_ACTIVE_TASKS);
        return null;
    }

    /**
     * Paper: {@code next_task}; {@code null} is the paper's ⊥ (nothing to do right now). The
     * committed prefix is never validated: validation_idx first jumps past it.
     */
    public Task nextTask() {
        int v = counters.get(VALIDATION_IDX);
        int c = counters.get(COMMIT_IDX);
        if (v < c) {
            atomicMax(VALIDATION_IDX, c);
            v = counters.get(VALIDATION_IDX);
        }
        int e = counters.get(EXECUTION_IDX);
        if (v < e) {
            if (e < blockSize && v < blockSize && statusOf(load(v)) == TxStatus.EXECUTING) {
                // The transaction at validation_idx is still running: claiming it would only skip
                // it (its executor then validates it itself, finish_execution claiming the index
                // while it is still there). Execute instead. Measured at 2 workers
                // (token/10000): nearly every validation claim met the other worker's running
                // transaction, a wasted claim of three shared read-modify-writes, and the null
                // task sent the worker to re-validate the commit head, ~4,500 extra validations
                // per 10,000 transactions. Leaving validation_idx where it is is always safe:
                // everything at or above it is still to be validated.
                return nextVersionToExecute();
            }
            return nextVersionToValidate();
        }
        return nextVersionToExecute();
    }

    private void atomicMax(int slot, int target) {
        int v;
        while ((v = counters.get(slot)) < target && !counters.compareAndSet(slot, v, target)) {
            Thread.onSpinWait();
        }
    }

    /**
     * Whether every transaction below {@code txIndex} is committed (its values final): read it
     * before an incarnation's first read, or before a validation starts.
     */
    public boolean committedBelow(int txIndex) {
        return counters.get(COMMIT_IDX) >= txIndex;
    }

    /** Whether every transaction's first execution has been claimed (execution_idx past the block). */
    public boolean allStarted() {
        return counters.get(EXECUTION_IDX) >= blockSize;
    }

    /** Length of the committed prefix (tests and diagnostics). */
    public int commitIndex() {
        return counters.get(COMMIT_IDX);
    }

    /**
     * Moves the commit index past every final transaction at its head. Lock-free: the condition
     * for passing index {@code c} (tx {@code c} is final) never becomes false again, and a failed
     * CAS means another worker moved it.
     */
    public void tryCommit() {
        while (true) {
            int c = counters.get(COMMIT_IDX);
            if (c >= blockSize || !finalBit(load(c))) {
                return;
            }
            counters.compareAndSet(COMMIT_IDX, c, c + 1);
        }
    }

    /**
     * A validation of {@code incarnation} that started over a committed prefix passed: the
     * incarnation is final. No effect if it was aborted meanwhile (a validation that started
     * earlier saw a value of a since-committed transaction that was still changing).
     */
    public void markFinal(int txIndex, int incarnation) {
        state.compareAndSet(slot(txIndex), pack(incarnation, TxStatus.EXECUTED),
                pack(incarnation, TxStatus.EXECUTED) | FINAL);
    }

    /** The incarnation of {@code txIndex} if it is EXECUTED and not final, else -1. */
    public int executedIncarnation(int txIndex) {
        int s = load(txIndex);
        return statusOf(s) == TxStatus.EXECUTED && !finalBit(s) ? incarnationOf(s) : -1;
    }

    /** Whether {@code txIndex}'s current incarnation is final (tests and diagnostics). */
    public boolean isFinal(int txIndex) {
        return finalBit(load(txIndex));
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
        int s = load(txIndex);
        int incarnation = incarnationOf(s);
        // ABORTING before the push: whoever pops this entry moves ABORTING -> READY_TO_EXECUTE.
        move(txIndex, s, TxStatus.ABORTING, incarnation, "add_dependency");
        while (true) {
            Dependent head = dependents.get(blockingTxIndex);
            if (head == CLOSED) {
                // Nobody else acts on an ABORTING transaction that is in no stack: undo (not an
                // edge of the status diagram, because to everyone else it never happened).
                if (!state.compareAndSet(slot(txIndex), pack(incarnation, TxStatus.ABORTING),
                        pack(incarnation, TxStatus.EXECUTING))) {
                    throw new InvariantViolation("add_dependency: tx " + txIndex + " changed state while suspending");
                }
                return false;
            }
            if (dependents.compareAndSet(blockingTxIndex, head, new Dependent(txIndex, head))) {
                break;
            }
        }
        counters.decrementAndGet(NUM_ACTIVE_TASKS);
        return true;
    }

    /** Paper: {@code set_ready_status}: ABORTING(i) -> READY_TO_EXECUTE(i+1). */
    private void setReadyStatus(int txIndex) {
        int s = load(txIndex);
        move(txIndex, s, TxStatus.READY_TO_EXECUTE, incarnationOf(s) + 1, "set_ready_status");
    }

    /**
     * Paper: {@code finish_execution}. Returns a validation task for the same version when it
     * can be validated right away, else {@code null}.
     */
    public Task finishExecution(int txIndex, int incarnation, boolean wroteNewLocation) {
        return finishExecution(txIndex, incarnation, wroteNewLocation, false);
    }

    /**
     * As {@link #finishExecution(int, int, boolean)}; with {@code finalReads} (the incarnation
     * started over a committed prefix, {@link #committedBelow}) it is final at once: no validation
     * task, and a new location written only makes the transactions above revalidate.
     */
    public Task finishExecution(int txIndex, int incarnation, boolean wroteNewLocation, boolean finalReads) {
        int s = load(txIndex);
        if (incarnationOf(s) != incarnation) {
            throw new InvariantViolation("finish_execution: tx " + txIndex + " incarnation " + incarnation
                    + " finished but the scheduler is at incarnation " + incarnationOf(s) + " (" + statusOf(s) + ")");
        }
        statusOf(s).checkTransition(TxStatus.EXECUTED, txIndex, incarnation, "finish_execution");
        // Close the stack before the status says EXECUTED: a validator may abort this incarnation
        // the moment it is EXECUTED, and reopens the stack then. A reader that finds the stack
        // closed re-executes at once, and the values it waited for are already recorded.
        Dependent suspended = dependents.getAndSet(txIndex, CLOSED);
        if (suspended == CLOSED) {
            throw new InvariantViolation("finish_execution: tx " + txIndex + " incarnation " + incarnation
                    + " found its dependents already closed");
        }
        move(txIndex, s, TxStatus.EXECUTED, incarnation, finalReads, "finish_execution");
        int min = Integer.MAX_VALUE;
        for (Dependent d = suspended; d != null; d = d.next()) {
            setReadyStatus(d.txIndex());
            min = Math.min(min, d.txIndex());
        }
        if (min != Integer.MAX_VALUE) {
            decreaseExecutionIdx(min);
        }
        if (finalReads) {
            if (wroteNewLocation && counters.get(VALIDATION_IDX) > txIndex + 1) {
                decreaseValidationIdx(txIndex + 1);
            }
            tryCommit();
        } else {
            int v = counters.get(VALIDATION_IDX);
            if (v > txIndex) {
                if (wroteNewLocation) {
                    decreaseValidationIdx(txIndex);
                } else {
                    return Task.validation(txIndex, incarnation);
                }
            } else if (v == txIndex && counters.compareAndSet(VALIDATION_IDX, v, v + 1)) {
                // validation_idx waits at this transaction (nextTask does not skip a running
                // one): claim its validation here, as next_version_to_validate would have, keeping
                // this task's active count. Everything above is still to be validated, so a new
                // location needs no decrease.
                return Task.validation(txIndex, incarnation);
            }
        }
        counters.decrementAndGet(NUM_ACTIVE_TASKS);
        return null;
    }

    /**
     * Paper: {@code try_validation_abort}: only the first failed validation of an incarnation
     * aborts it, and never a final one (the CAS expects EXECUTED without the FINAL bit). The winner reopens the dependents stack (before the caller turns the writes into
     * ESTIMATEs).
     */
    public boolean tryValidationAbort(int txIndex, int incarnation) {
        if (state.compareAndSet(slot(txIndex), pack(incarnation, TxStatus.EXECUTED), pack(incarnation, TxStatus.ABORTING))) {
            if (!dependents.compareAndSet(txIndex, CLOSED, null)) {
                throw new InvariantViolation("try_validation_abort: tx " + txIndex + " incarnation " + incarnation
                        + " was EXECUTED with an open dependents stack");
            }
            return true;
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
        return statusOf(load(txIndex)) == TxStatus.EXECUTING;
    }

    /** Whether {@code txIndex}'s current incarnation has finished executing (a hint, never a decision). */
    public boolean isExecuted(int txIndex) {
        return statusOf(load(txIndex)) == TxStatus.EXECUTED;
    }

    /** Current incarnation of {@code txIndex} (tests and diagnostics). */
    public int incarnation(int txIndex) {
        return incarnationOf(load(txIndex));
    }

    /** Current status of {@code txIndex} (tests and diagnostics). */
    public TxStatus status(int txIndex) {
        return statusOf(load(txIndex));
    }

    /** After {@link #done()}: every transaction must be EXECUTED, else the run is broken. */
    public void checkAllExecuted() {
        for (int i = 0; i < blockSize; i++) {
            int s = load(i);
            if (statusOf(s) != TxStatus.EXECUTED) {
                throw new InvariantViolation("done: tx " + i + " incarnation " + incarnationOf(s) + " is " + statusOf(s));
            }
        }
    }
}
