package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.analysis.BlockDependencies;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateView;
import java.util.List;
import io.bitquan.flow.execution.engine.TransactionFailed;

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
    /** Aborts before the abort-rate check may abandon a run. */
    static final int EARLY_ABORTS = 32;
    /**
     * The abort rate (one abort per this many executions) above which a run is abandoned once it
     * has {@link #EARLY_ABORTS} aborts: see {@link #countAbort}.
     */
    static final int EXECUTIONS_PER_ABORT = 16;
    /** Writers of one key before the hot-key check may abandon a run: see {@link #checkHotKey}. */
    static final int HOT_KEY_WRITERS = 64;
    /** Upper bound on busy-waiting for a running predicted predecessor (then suspend as usual). */
    static final int SPIN_ON_RUNNING_PREDECESSOR = 1000;

    private final BlockContext block;
    private final List<PreparedTx> txs;
    private final StateView base;
    private final TransactionVm vm;
    private final BlockDependencies predicted;

    final Scheduler scheduler;
    final MvMemory memory;
    /** Per tx: the TxOutcome, RuleViolation or TransactionFailed of its last recorded incarnation. */
    final TxSlots<Object> results;
    /**
     * Per-worker statistics (executions, aborts, validations, waits), each worker's slots a cache
     * line apart; plain longs written only by their worker, summed after the run.
     */
    private final long[] stats;
    /** Two cache lines per worker: the adjacent-line prefetcher pairs lines. */
    private static final int STATS_STRIDE = 16;
    private static final int EXECUTIONS = 0;
    private static final int ABORTS = 1;
    private static final int VALIDATIONS = 2;
    private static final int DEPENDENCY_WAITS = 3;
    private static final int COMMIT_VALIDATIONS = 4;
    private static final int IDLE_ROUNDS = 5;
    private static final int PARKS = 6;
    /**
     * Sum of the fees of the results this worker stored, minus those of the results they replaced,
     * and likewise the count of results that are not outcomes. Summed over the workers after the
     * run, the differences telescope to the final results' fees and failures, so the collect phase
     * need not read back every result the other core made (~100 ns per object here, see
     * {@link BlockStmEngine}'s collect and the schedule's {@code DagRun}).
     */
    private static final int FEES = 7;
    private static final int NON_OUTCOMES = 8;
    /** Commit-head re-validations per idle round. */
    static final int COMMIT_STEPS = 8;
    private final long abortBudget;
    private final java.util.concurrent.atomic.AtomicLong sharedAborts = new java.util.concurrent.atomic.AtomicLong();
    private final boolean credits;
    private final VersionedView[] views;
    /** Set when the abort budget was exceeded and the run abandoned. */
    volatile boolean contended;
    /**
     * With {@link #collectOutputInRun}: the output phase the workers run as they leave the done run
     * (collected in chunks, split into key ranges, each range sorted: {@link RangeOutput}); read by
     * the caller after the pool run returned. {@code null}: the caller collects the output after the run.
     */
    private RangeOutput output;
    /** Transactions per output chunk: small enough that the last claimed chunk is a short wait. */
    static final int OUTPUT_CHUNK_TXS = 256;

    /**
     * @param predicted   predicted dependencies to wait for, or {@code null}
     * @param abortBudget abandon the run after this many aborts ({@code Long.MAX_VALUE} = never)
     */
    BlockRun(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm,
             BlockDependencies predicted, long abortBudget, int workers, boolean credits) {
        this.block = block;
        this.txs = txs;
        this.base = base;
        this.vm = vm;
        this.predicted = predicted;
        this.abortBudget = abortBudget;
        this.credits = credits;
        this.views = new VersionedView[workers];
        this.stats = new long[(workers + 1) * STATS_STRIDE];
        this.scheduler = new Scheduler(txs.size());
        this.memory = new MvMemory(txs.size());
        this.results = new TxSlots<>(txs.size());
    }

    /**
     * Has the workers collect and sort the block's final writes themselves as soon as the run is
     * done ({@link RangeOutput}), instead of the caller alone after the run. Call before the pool run.
     */
    void collectOutputInRun() {
        output = new RangeOutput(memory, base, OUTPUT_CHUNK_TXS, views.length);
    }

    /**
     * The final write set the run's workers collected and sorted, or {@code null} when the run did
     * not produce it (not asked to, or stopped). Call after the pool run returned.
     */
    MvMemory.FinalWrites collectedOutput() {
        return output == null ? null : output.joined();
    }

    /** Paper, Algorithm 1, {@code run()}: take tasks until the scheduler is done. */
    void work(int worker, WorkerPool.Stop stop) {
        runTasks(worker, stop);
        if (output != null && scheduler.done() && !stop.raised()) {
            // The output phase, shared: each worker that leaves the done run claims chunks of
            // transactions, then key ranges to sort, until none is left, so a worker the OS has
            // descheduled costs at most the one chunk or range it holds (the caller waits for it at
            // the pool's latch, as it already does for the run) and never a fixed half of the work,
            // which is what made round 10's key-range output on two workers slower in wall time on
            // this busy machine. Done means every incarnation is validated and no task is active:
            // the memory no longer changes, and every write reached this thread through the
            // counters whose reads set the done marker.
            output.work(stop);
        }
    }

    private void runTasks(int worker, WorkerPool.Stop stop) {
        Task task = null;
        int idle = 0;
        while (!scheduler.done() && !stop.raised()) {
            if (task != null) {
                task = task.kind() == Task.Kind.EXECUTION ? tryExecute(worker, task, stop) : needsReexecution(worker, task, stop);
                continue;
            }
            task = scheduler.nextTask();
            if (task == null) {
                // Idle time re-validates the transaction holding up the commit index (a busy
                // worker never does: measured at 2 threads, doing it after every task re-validated
                // ~90% of the block a second time and cost more than the skipped validations saved).
                if (advanceCommit(worker)) {
                    idle = 0;
                } else {
                    idle(worker, ++idle);
                }
            } else {
                idle = 0;
            }
        }
    }

    /**
     * Nothing to do until another worker finishes something. Spin briefly (the usual wait is one
     * light transaction, about a microsecond), then yield, then park for short slices: on an
     * oversubscribed machine a spinning worker takes the core of the very worker it waits for.
     * Timed parks need no wake-up protocol, and a slice is a few transactions' worth of time.
     */
    private void idle(int worker, int idleRounds) {
        stats[worker * STATS_STRIDE + IDLE_ROUNDS]++;
        if (idleRounds >= IdleWait.YIELD_ROUNDS) {
            stats[worker * STATS_STRIDE + PARKS]++;
        }
        IdleWait.backOff(idleRounds);
    }

    /** The calling worker's reusable view (one per worker: no allocation per incarnation or read). */
    private VersionedView view(int worker) {
        VersionedView v = views[worker];
        if (v == null) {
            v = new VersionedView(memory, base, false, credits);
            views[worker] = v;
        }
        return v;
    }

    /** Paper: {@code try_execute}; plus the analyzer's wait for predicted predecessors. */
    private Task tryExecute(int worker, Task task, WorkerPool.Stop stop) {
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
                    stats[worker * STATS_STRIDE + DEPENDENCY_WAITS]++;
                    return null;
                }
            }
        }
        VersionedView view = view(worker);
        while (true) {
            // Read before the incarnation's first read: with every predecessor committed, the
            // values it reads are final and it needs no validation.
            boolean finalReads = scheduler.committedBelow(tx);
            view.reset(tx, finalReads);
            stats[worker * STATS_STRIDE + EXECUTIONS]++;
            Object result;
            try {
                result = vm.execute(txs.get(tx), block, view);
            } catch (ReadDependency dependency) {
                result = dependency;
            } catch (RuleViolation violation) {
                result = violation;
            } catch (InvariantViolation bug) {
                throw bug;
            } catch (RuntimeException | Error speculative) {
                // May be an artefact of an inconsistent speculative read (a loop that never ends
                // on impossible values overflows the stack): final only if it validates.
                if (!TransactionFailed.isTransactionFailure(speculative)) {
                    throw speculative;
                }
                result = new TransactionFailed(tx, speculative);
            }
            if (view.blockedOn() >= 0) {
                countAbort(worker, stop);
                if (scheduler.addDependency(tx, view.blockedOn())) {
                    return null;
                }
                continue; // the blocking tx finished meanwhile: re-execute now
            }
            if (!(result instanceof io.bitquan.flow.model.rules.TxOutcome)) {
                view.discardWrites();
            }
            // Only the owner of tx's running incarnation stores here (the scheduler's status CAS
            // hands ownership over), so a load and a release store replace the locked exchange
            // (round 20: getAndSet's slot line was ~1 % of the two workers' samples).
            tally(worker, results.get(tx), -1);
            results.setRelease(tx, result);
            tally(worker, result, 1);
            boolean wroteNew = view.recordInto(incarnation);
            checkHotKey(tx, view.hottestWrite(), stop);
            return scheduler.finishExecution(tx, incarnation, wroteNew, finalReads);
        }
    }

    /**
     * Adds ({@code sign} 1) or takes back ({@code sign} -1) a result's fee and failure count in the
     * worker's tallies. A replaced result (null for the first incarnation) is rare: re-executions.
     */
    private void tally(int worker, Object result, int sign) {
        if (result == null) {
            return;
        }
        if (result instanceof io.bitquan.flow.model.rules.TxOutcome outcome) {
            stats[worker * STATS_STRIDE + FEES] += sign * outcome.fee();
        } else {
            stats[worker * STATS_STRIDE + NON_OUTCOMES] += sign;
        }
    }

    /** The final results' fees (after the pool run returned; see {@link #FEES}). */
    long fees() {
        return sum(FEES);
    }

    /** How many final results are not outcomes (after the pool run returned). */
    long nonOutcomes() {
        return sum(NON_OUTCOMES);
    }

    /** Paper: {@code needs_reexecution}. */
    private Task needsReexecution(int worker, Task task, WorkerPool.Stop stop) {
        int tx = task.txIndex();
        stats[worker * STATS_STRIDE + VALIDATIONS]++;
        boolean prefixCommitted = scheduler.committedBelow(tx);
        boolean valid = memory.validateReadSet(tx, view(worker).scratch());
        boolean aborted = !valid && scheduler.tryValidationAbort(tx, task.incarnation());
        if (aborted) {
            countAbort(worker, stop);
            memory.convertWritesToEstimates(tx);
        } else if (valid && prefixCommitted) {
            scheduler.markFinal(tx, task.incarnation());
        }
        Task next = scheduler.finishValidation(tx, aborted);
        if (!aborted) {
            scheduler.tryCommit();
        }
        return next;
    }

    /**
     * Moves the rolling commit index: past final transactions, and past an EXECUTED one at its
     * head whose last validation ran before its prefix was committed, by validating it again now
     * (its prefix is final, so a pass makes it final). A failed check is left to the regular
     * validation that the change behind it has already scheduled.
     */
    private boolean advanceCommit(int worker) {
        boolean moved = false;
        // Only worth it while transactions are still to start (they may then skip validation),
        // and a few heads at a time: an idle worker goes back for real work soon. Without these
        // bounds a worker idle at the end of a block re-validated the whole backlog (~9,000 of
        // 10,000 UTXO spends, all validated already).
        for (int step = 0; step < COMMIT_STEPS && !scheduler.allStarted(); step++) {
            scheduler.tryCommit();
            int head = scheduler.commitIndex();
            if (head >= txs.size()) {
                return moved;
            }
            int incarnation = scheduler.executedIncarnation(head);
            if (incarnation < 0) {
                return moved;
            }
            stats[worker * STATS_STRIDE + COMMIT_VALIDATIONS]++;
            if (!memory.validateReadSet(head, view(worker).scratch())) {
                return moved;
            }
            scheduler.markFinal(head, incarnation);
            if (!scheduler.isFinal(head)) {
                return moved; // aborted meanwhile by a validation that started earlier
            }
            moved = true;
        }
        return moved;
    }

    /**
     * The contention fallback's run-time check for a block that is one dependency chain through
     * one key the analyzer could not see (a hot contract's storage: every swap of an AMM pool
     * writes its reserves). When more than half of the transactions below {@code tx} wrote the
     * same key, the block's parallelism is below 2 whatever the scheduling, so the run is
     * abandoned at once rather than when the aborts add up. Measured (amm/1000, 2 workers): the
     * abort-rate check alone gave up only after 2,000-3,100 executions (its abort rate grows
     * slowly along the block), a quarter of the block's work wasted; this one gives up at about
     * transaction {@code 2 * HOT_KEY_WRITERS}. Credits are not counted (they do not conflict).
     */
    private void checkHotKey(int tx, int writers, WorkerPool.Stop stop) {
        if (abortBudget != Long.MAX_VALUE && writers > HOT_KEY_WRITERS && writers * 2L > tx) {
            contended = true;
            stop.raise();
        }
    }

    private void countAbort(int worker, WorkerPool.Stop stop) {
        stats[worker * STATS_STRIDE + ABORTS]++;
        if (abortBudget == Long.MAX_VALUE) {
            return;
        }
        // Aborts are rare next to executions and validations: one shared counter for the budget.
        long aborts = sharedAborts.incrementAndGet();
        // Give up early, too, when more than one execution in 16 so far was aborted: a block
        // that conflicts everywhere (one hot contract the analyzer cannot see into) is then
        // abandoned after a few hundred executions. Measured (amm/1000, 2 workers, counters of
        // single runs): such a block aborts 12-20% of its executions, so a one-fifth threshold
        // (round 4) and a one-eighth one both hovered at the edge and ran ~2,500-3,100
        // executions (a quarter of the block or more, all of it wasted) before giving up. Light
        // blocks abort far less (token/10000 ~3 per 10,000 executions, mixed and utxo < 0.1%;
        // Zipf transfers ~8% at 2 workers, which take the predicted schedule and run at well
        // under 1x optimistically anyway).
        if (aborts > abortBudget || (aborts > EARLY_ABORTS && aborts * EXECUTIONS_PER_ABORT > executionsSoFar())) {
            contended = true;
            stop.raise();
        }
    }

    long executions() {
        return sum(EXECUTIONS);
    }

    /**
     * Racy sum of the workers' execution counts while they run: a heuristic input only (plain
     * longs on a 64-bit JVM do not tear; a stale count merely delays the decision).
     */
    private long executionsSoFar() {
        return sum(EXECUTIONS);
    }

    long aborts() {
        return sum(ABORTS);
    }

    long validations() {
        return sum(VALIDATIONS);
    }

    long dependencyWaits() {
        return sum(DEPENDENCY_WAITS);
    }

    /** Diagnostics of this run (after it returned): see {@link RunCounters}. */
    RunCounters counters() {
        long validatedReads = 0;
        long walkedReads = 0;
        for (VersionedView v : views) {
            if (v != null) {
                validatedReads += v.scratch().validatedReads;
                walkedReads += v.scratch().walkedReads;
            }
        }
        return new RunCounters(sum(EXECUTIONS), sum(ABORTS), sum(VALIDATIONS), sum(COMMIT_VALIDATIONS),
                sum(DEPENDENCY_WAITS), sum(IDLE_ROUNDS), sum(PARKS), validatedReads, walkedReads);
    }

    /** Call after the pool run returned (its latch orders the workers' plain writes before this). */
    private long sum(int slot) {
        long total = 0;
        for (int w = 0; w < views.length; w++) {
            total += stats[w * STATS_STRIDE + slot];
        }
        return total;
    }
}
