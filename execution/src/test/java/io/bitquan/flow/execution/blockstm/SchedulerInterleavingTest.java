package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's tricky races, forced into each order with latches, plus the transition checks.
 * Two threads play two workers; the latches decide who goes first.
 */
class SchedulerInterleavingTest {
    private final ExecutorService other = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        other.shutdownNow();
    }

    /** Starts tx 0 and tx 1 executing, as two workers would. */
    private static Scheduler twoExecuting() {
        Scheduler s = new Scheduler(2);
        assertThat(nextExecution(s)).isEqualTo(Task.execution(0, 0));
        assertThat(nextExecution(s)).isEqualTo(Task.execution(1, 0));
        return s;
    }

    /**
     * Polls like an idle worker until an execution task comes out; validation tasks met on the
     * way pass. (The paper's next_task may return nothing while it skips a not-yet-executed
     * validation candidate.)
     */
    private static Task nextExecution(Scheduler s) {
        for (int i = 0; i < 100; i++) {
            Task t = s.nextTask();
            while (t != null && t.kind() == Task.Kind.VALIDATION) {
                t = s.finishValidation(t.txIndex(), false);
            }
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    @Test
    void dependencyResolvedBeforeSuspendingMakesTheReaderRetryAtOnce() throws Exception {
        Scheduler s = twoExecuting();
        CountDownLatch readerSawEstimate = new CountDownLatch(1);
        CountDownLatch blockerFinished = new CountDownLatch(1);
        // Worker B: tx 1 hit tx 0's ESTIMATE, but tx 0 finishes before B calls add_dependency.
        Future<Boolean> suspended = other.submit(() -> {
            readerSawEstimate.countDown();
            blockerFinished.await();
            return s.addDependency(1, 0);
        });
        readerSawEstimate.await();
        // validation_idx waits at tx 0 (nextTask does not skip a running transaction): its
        // executor claims the validation itself.
        Task validate0 = s.finishExecution(0, 0, true);
        assertThat(validate0).isEqualTo(Task.validation(0, 0));
        blockerFinished.countDown();
        assertThat(suspended.get()).isFalse();          // not suspended: B re-executes tx 1 itself
        assertThat(s.status(1)).isEqualTo(TxStatus.EXECUTING);
        assertThat(s.incarnation(1)).isZero();
        Task validate1 = s.finishExecution(1, 0, true);
        assertThat(validate1).isEqualTo(Task.validation(1, 0));
        drainToDone(s, validate0, validate1);
    }

    @Test
    void dependencyResolvedWhileSuspendedResumesTheReaderWithTheNextIncarnation() throws Exception {
        Scheduler s = twoExecuting();
        CountDownLatch suspendedLatch = new CountDownLatch(1);
        Future<Boolean> suspended = other.submit(() -> {
            boolean r = s.addDependency(1, 0);
            suspendedLatch.countDown();
            return r;
        });
        suspendedLatch.await();
        assertThat(suspended.get()).isTrue();
        assertThat(s.status(1)).isEqualTo(TxStatus.ABORTING);
        // Blocker finishes: the dependent is resumed as incarnation 1 and execution_idx goes back.
        Task next = s.finishExecution(0, 0, true);
        assertThat(s.status(1)).isEqualTo(TxStatus.READY_TO_EXECUTE);
        assertThat(s.incarnation(1)).isEqualTo(1);
        assertThat(next).isEqualTo(Task.validation(0, 0));
        assertThat(nextExecution(s)).isEqualTo(Task.execution(1, 1));
        drainToDone(s, next, s.finishExecution(1, 1, true));
    }

    @Test
    void racingSuspensionAndCompletionNeverLoseTheReader() throws Exception {
        for (int i = 0; i < 2_000; i++) {
            Scheduler s = twoExecuting();
            CountDownLatch go = new CountDownLatch(1);
            Future<Boolean> suspended = other.submit(() -> {
                go.await();
                return s.addDependency(1, 0);
            });
            go.countDown();
            Task validate0 = s.finishExecution(0, 0, true);
            Task validate1 = null;
            if (suspended.get()) {
                assertThat(s.status(1)).isEqualTo(TxStatus.READY_TO_EXECUTE);
                assertThat(s.incarnation(1)).isEqualTo(1);
            } else {
                assertThat(s.status(1)).isEqualTo(TxStatus.EXECUTING);
                validate1 = s.finishExecution(1, 0, false);
            }
            drainToDone(s, validate0, validate1);
        }
    }

    @Test
    void staleValidationCannotAbortTheIncarnationNowExecuting() throws Exception {
        Scheduler s = new Scheduler(1);
        assertThat(nextExecution(s)).isEqualTo(Task.execution(0, 0));
        Task validation = s.finishExecution(0, 0, true); // claimed by its executor (validation_idx was at it)
        assertThat(validation).isEqualTo(Task.validation(0, 0));
        CountDownLatch staleValidatorReady = new CountDownLatch(1);
        CountDownLatch reexecutionStarted = new CountDownLatch(1);
        // Worker B holds a validation task for incarnation 0 and is slow to act on it.
        Future<Boolean> staleAbort = other.submit(() -> {
            staleValidatorReady.countDown();
            reexecutionStarted.await();
            return s.tryValidationAbort(0, 0);
        });
        staleValidatorReady.await();
        // Worker A: its own validation of incarnation 0 fails first; the tx re-executes as incarnation 1.
        assertThat(s.tryValidationAbort(0, 0)).isTrue();
        Task reexecute = s.finishValidation(0, true);
        assertThat(reexecute).isEqualTo(Task.execution(0, 1));
        assertThat(s.status(0)).isEqualTo(TxStatus.EXECUTING);
        reexecutionStarted.countDown();
        assertThat(staleAbort.get()).isFalse();          // the stale validation aborts nothing
        assertThat(s.status(0)).isEqualTo(TxStatus.EXECUTING);
        assertThat(s.incarnation(0)).isEqualTo(1);
        assertThat(s.finishValidation(0, false)).isNull(); // B's task ends
        s.finishExecution(0, 1, false);
        drainToDone(s);
    }

    /**
     * Round 12: a worker whose validation candidate is still running executes the next
     * transaction instead of claiming (and so skipping) it; the running one's executor claims its
     * validation when it finishes, and a transaction above it is validated by a later claim.
     */
    @Test
    void aRunningTransactionAtValidationIdxIsNotSkippedItsExecutorClaimsIt() {
        Scheduler s = new Scheduler(3);
        assertThat(s.nextTask()).isEqualTo(Task.execution(0, 0));
        assertThat(s.nextTask()).isEqualTo(Task.execution(1, 0));
        assertThat(s.nextTask()).isEqualTo(Task.execution(2, 0)); // tx 0 runs: no wasted validation claim
        assertThat(s.finishExecution(1, 0, false)).isNull();       // validation_idx still waits at tx 0
        assertThat(s.finishExecution(0, 0, false)).isEqualTo(Task.validation(0, 0));
        assertThat(s.finishValidation(0, false)).isNull();
        Task validate1 = s.nextTask();
        assertThat(validate1).isEqualTo(Task.validation(1, 0));
        Task validate2 = s.finishExecution(2, 0, false);
        assertThat(validate2).isEqualTo(Task.validation(2, 0));
        drainToDone(s, validate1, validate2);
    }

    @Test
    void illegalTransitionsFailNamingTxIncarnationAndState() {
        Scheduler s = twoExecuting();
        s.finishExecution(0, 0, true);
        assertThatThrownBy(() -> s.finishExecution(0, 0, true))
                .isInstanceOf(InvariantViolation.class)
                .hasMessageContaining("tx 0").hasMessageContaining("incarnation 0").hasMessageContaining("EXECUTED");
        assertThatThrownBy(() -> s.finishExecution(1, 3, true))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("tx 1 incarnation 3");
        assertThatThrownBy(() -> s.addDependency(0, 1)).isInstanceOf(InvariantViolation.class);
        assertThat(TxStatus.READY_TO_EXECUTE.canMoveTo(TxStatus.EXECUTED)).isFalse();
        assertThat(TxStatus.EXECUTED.canMoveTo(TxStatus.ABORTING)).isTrue();
        assertThatThrownBy(() -> TxStatus.ABORTING.checkTransition(TxStatus.EXECUTED, 5, 2, "test"))
                .isInstanceOf(InvariantViolation.class).hasMessageContaining("tx 5 incarnation 2 cannot move from ABORTING to EXECUTED");
    }

    /** One worker: every transaction starts over a committed prefix, so no validation task ever comes out. */
    @Test
    void oneWorkerOverACommittedPrefixNeverValidates() {
        Scheduler s = new Scheduler(5);
        int guard = 0;
        while (!s.done()) {
            Task t = s.nextTask();
            if (t != null) {
                assertThat(t.kind()).isEqualTo(Task.Kind.EXECUTION);
                assertThat(s.committedBelow(t.txIndex())).isTrue();
                assertThat(s.finishExecution(t.txIndex(), t.incarnation(), true, true)).isNull();
                assertThat(s.commitIndex()).isEqualTo(t.txIndex() + 1);
            }
            assertThat(++guard).isLessThan(100);
        }
        s.checkAllExecuted();
    }

    @Test
    void aFinalIncarnationIsNeverAbortedAndCommitWaitsForIt() {
        Scheduler s = twoExecuting();
        // tx 1 started before tx 0 committed: not final when it finishes.
        s.finishExecution(1, 0, true, false);
        assertThat(s.isFinal(1)).isFalse();
        assertThat(s.commitIndex()).isZero();
        s.finishExecution(0, 0, true, true);
        assertThat(s.isFinal(0)).isTrue();
        assertThat(s.commitIndex()).isEqualTo(1);                // tx 1 holds the index until validated
        assertThat(s.tryValidationAbort(0, 0)).isFalse();         // a stale validation cannot abort a final tx
        assertThat(s.status(0)).isEqualTo(TxStatus.EXECUTED);
        assertThat(s.executedIncarnation(1)).isZero();
        s.markFinal(1, 0);                                        // a validation over the committed prefix passed
        s.tryCommit();
        assertThat(s.commitIndex()).isEqualTo(2);
        assertThat(s.tryValidationAbort(1, 0)).isFalse();
        drainToDone(s);
    }

    @Test
    void markFinalAfterAnAbortChangesNothing() {
        Scheduler s = twoExecuting();
        s.finishExecution(0, 0, false, true);
        s.finishExecution(1, 0, false, false);
        assertThat(s.nextTask()).isEqualTo(Task.validation(1, 0)); // tx 0 is committed: only tx 1 is validated
        assertThat(s.tryValidationAbort(1, 0)).isTrue();
        s.markFinal(1, 0);                                        // a slower validator's pass arrives too late
        assertThat(s.isFinal(1)).isFalse();
        assertThat(s.status(1)).isEqualTo(TxStatus.ABORTING);
        s.tryCommit();
        assertThat(s.commitIndex()).isEqualTo(1);
        Task reexecute = s.finishValidation(1, true);
        assertThat(reexecute).isEqualTo(Task.execution(1, 1));
        s.finishExecution(1, 1, false, s.committedBelow(1));
        assertThat(s.commitIndex()).isEqualTo(2);
        drainToDone(s);
    }

    /**
     * Runs the tasks still held ({@code null}s skipped) and then the remaining ones single-threaded
     * (every validation passes), and checks the scheduler finishes.
     */
    private static void drainToDone(Scheduler s, Task... held) {
        for (Task h : held) {
            Task t = h;
            while (t != null) {
                t = t.kind() == Task.Kind.VALIDATION ? s.finishValidation(t.txIndex(), false)
                        : s.finishExecution(t.txIndex(), t.incarnation(), false);
            }
        }
        int guard = 0;
        Task t = null;
        while (!s.done()) {
            if (t == null) {
                t = s.nextTask();
            } else if (t.kind() == Task.Kind.VALIDATION) {
                t = s.finishValidation(t.txIndex(), false);
            } else {
                t = s.finishExecution(t.txIndex(), t.incarnation(), false);
            }
            assertThat(++guard).as("scheduler must finish").isLessThan(10_000);
        }
        s.checkAllExecuted();
    }
}
