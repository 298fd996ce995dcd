package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.analysis.BlockDependencies;
import io.bitquan.flow.execution.analysis.DependencyAnalyzer;
import io.bitquan.flow.execution.dag.PredictedRun;
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
import java.util.ArrayList;
import java.util.List;
import io.bitquan.flow.model.state.StateView;
import java.util.concurrent.CancellationException;

/**
 * Block-STM behind the {@link ExecutionEngine} interface: the same answer as
 * {@link SequentialEngine}, computed by {@link BlockStmOptions#threads()} workers. See the
 * package documentation for the tour. Not re-entrant: one block at a time per engine.
 */
public final class BlockStmEngine implements ExecutionEngine {
    /**
     * Predicted parallelism (block size / critical path) below which the block runs sequentially.
     * Measured (docs/PERFORMANCE.md): transfer blocks over 10 and 100 Zipf accounts predict 1.5
     * and 2.5 and ran at well under 1x in parallel, so blocks below 3 are not worth the overhead.
     */
    static final double MIN_PREDICTED_PARALLELISM = 3.0;
    /**
     * How many leading transactions the contention check analyzes: a full analysis costs about a
     * fifth of a sequential run of light transfers, on the path of the very blocks that end up
     * sequential, and a prefix is representative for our mixes. Measured (thread CPU time,
     * transfer/10000): 1,024 transactions cost 0.4-2.4 ms, i.e. 3-15% of a 14 ms sequential
     * block; 256 still tells a chain (transfer/2: parallelism ~1) from a Zipf block (~10).
     */
    static final int CONTENTION_SAMPLE = 256;
    /** Aborts allowed per transaction before a run is abandoned as too contended. */
    static final double ABORTS_PER_TX_BUDGET = 0.5;
    /** Predicted parallelism below which a chain-like block runs on one worker (see {@link #execute}). */
    static final double CHAIN_PARALLELISM = 2.0;
    /**
     * Workers from which the optimistic path's output phase (final writes collected, sorted)
     * runs on the pool ({@link WriteSetSorter}); below, the workers of the run collect the final
     * writes in chunks they claim as they leave it ({@link BlockRun#collectOutputInRun}: no
     * hand-off, no fixed share for a descheduled worker) and the calling thread sorts. At two
     * workers the key-range output costs more than it saves: each worker scans every collected
     * write against its range and loads key objects the other core made (round 9's probe: 10.0 ms
     * of CPU on the two workers, 7.9 ms wall, against 3.5-4.9 ms for the sequential engine's
     * write set of the same 14,986 keys), and a hand-off to a descheduled worker waits. Measured
     * (round 10, token/10000, the two ways alternated block by block in one run, load 9-13):
     * output phase wall 13.2 ms alone vs 23.7 ms on two workers, and 47.9 vs 49.3 ms; amm 0.74
     * vs 1.66 ms. Not measured above two workers (this machine has two vCPUs).
     */
    static final int MIN_PARALLEL_OUTPUT_THREADS = 3;

    private final TransactionVm vm;
    private final BlockStmOptions options;
    private final SequentialEngine sequential;
    private final WorkerPool pool;
    /** Counters of the last parallel run (written by the calling thread after the run). */
    private volatile RunCounters lastRun = RunCounters.NONE;
    /** Recent cost of parallel against in-order runs, per kind of block ({@link BlockStmOptions#payoffCheck}). */
    private final ParallelPayoff payoff;
    /** Contention samples taken (written by the calling thread; tests read it between blocks). */
    private long samples;

    public BlockStmEngine(TransactionVm vm, BlockStmOptions options) {
        this(vm, options, new ParallelPayoff());
    }

    /** With a given payoff check's state (tests: decisions made by made-up costs, not the clock). */
    BlockStmEngine(TransactionVm vm, BlockStmOptions options, ParallelPayoff payoff) {
        this.vm = vm;
        this.options = options;
        this.sequential = new SequentialEngine(vm);
        this.pool = new WorkerPool(options.threads());
        this.payoff = payoff;
    }

    /** How many blocks paid for the contention sample so far. */
    long samplesTaken() {
        return samples;
    }

    @Override
    public String name() {
        return "block-stm";
    }

    public BlockStmOptions options() {
        return options;
    }

    @Override
    public BlockOutput execute(BlockContext block, List<PreparedTx> txs, StateView base) {
        long called = System.nanoTime();
        long jitAtCall = PayoffLog.ON ? JitClock.millis() : 0;
        int n = txs.size();
        if (n < options.serialThreshold() || inOrderOnly(txs)) {
            return sequential.execute(block, txs, base);
        }
        boolean checked = options.payoffCheck() && options.contentionFallback() && options.threads() > 1;
        ParallelPayoff.Kind kind = checked ? kindOf(txs, options.predictedSchedule()) : null;
        // Decided before the sample (round 12): a block the check runs in order needs nothing the
        // sample gives (both ways of a chain-like block run it in order too), so when the check has
        // settled on in order for this kind the block costs what the sequential engine costs. The
        // sample is paid only where a parallel run may use it. A chain-like block run in order this
        // way is recorded as an in-order run of its kind (unsampled, it cannot be told apart): the
        // kind's in-order estimate mixes both, as it mixes any two block mixes of one kind.
        boolean mayRunParallel = !checked || payoff.wouldRunParallel(kind);
        BlockDependencies sample = null;
        if (mayRunParallel && (options.contentionFallback() || options.useAnalyzer() || options.contentionWaits())) {
            sample = DependencyAnalyzer.analyze(txs.size() <= CONTENTION_SAMPLE ? txs : txs.subList(0, CONTENTION_SAMPLE));
            samples++;
        }
        long sampled = PayoffLog.ON ? System.nanoTime() : 0;
        boolean chainLike = sample != null && sample.parallelism() < MIN_PREDICTED_PARALLELISM;
        if (options.contentionFallback() && chainLike) {
            // not a decision of the check (it is not consulted): a chain has nothing to overlap
            return withFallback(sequential.execute(block, txs, base), 0, 0, 0);
        }
        if (!checked) {
            if (!PayoffLog.ON) {
                return executeParallel(block, txs, base, sample, chainLike);
            }
            return loggedUnchecked(block, txs, base, sample, chainLike, called);
        }
        // Only the wall time depends on this choice (both ways give the sequential result), so
        // reading the clock here cannot reach a hash. The whole call is timed, from its first line
        // (round 12): what the caller pays for a block, the sample included where it ran, is what
        // the two ways are compared on.
        boolean parallel = payoff.parallel(kind); // as peeked: nothing ran in between
        long cpu = PayoffLog.ON ? PayoffLog.cpuNow() : 0;
        long callerQueued = PayoffLog.ON ? WorkerPool.RunQueue.waitedNanos() : 0;
        long workersQueued = PayoffLog.ON ? pool.workersQueuedNanos() : 0;
        long onCallersCpu = PayoffLog.ON ? pool.workersOnCallersCpu() : 0;
        long start = PayoffLog.ON ? System.nanoTime() : 0;
        BlockOutput out = parallel ? executeParallel(block, txs, base, sample, chainLike)
                : withFallback(sequential.execute(block, txs, base), 0, 0, 0);
        long end = System.nanoTime();
        // A parallel run that fell back (abandoned as too contended, amm's one hot pool) ran the
        // block in order after all: the check is told, so such a kind goes straight to in order.
        payoff.record(kind, parallel, end - called, n, parallel && out.stats().fallbacks() > 0);
        if (PayoffLog.ON) {
            PayoffLog.block(payoff, kind, parallel, end - start, PayoffLog.cpuNow() - cpu, n,
                    sample == null ? 0 : sampled - called, end - called, JitClock.millis() - jitAtCall,
                    WorkerPool.RunQueue.waitedNanos() - callerQueued, pool.workersQueuedNanos() - workersQueued,
                    pool.workersOnCallersCpu() - onCallersCpu);
        }
        return out;
    }

    /**
     * A block of an engine without the check (the fallback off, or the check off), run as
     * {@link #executeParallel} runs it and logged as the checked blocks are (round 19): the
     * fallback-off engine's run-queue wait and worker placement, to hold against the defaults'
     * probes. Payoff log only.
     */
    private BlockOutput loggedUnchecked(BlockContext block, List<PreparedTx> txs, StateView base,
                                        BlockDependencies sample, boolean chainLike, long called) {
        long jit = JitClock.millis();
        long cpu = PayoffLog.cpuNow();
        long callerQueued = WorkerPool.RunQueue.waitedNanos();
        long workersQueued = pool.workersQueuedNanos();
        long onCallersCpu = pool.workersOnCallersCpu();
        long start = System.nanoTime();
        BlockOutput out = executeParallel(block, txs, base, sample, chainLike);
        long end = System.nanoTime();
        PayoffLog.unchecked(end - start, PayoffLog.cpuNow() - cpu, txs.size(), end - called, JitClock.millis() - jit,
                WorkerPool.RunQueue.waitedNanos() - callerQueued, pool.workersQueuedNanos() - workersQueued,
                pool.workersOnCallersCpu() - onCallersCpu);
        return out;
    }

    /**
     * Whether this block can only run in block order on the calling thread (round 13): one thread
     * has nothing to overlap, so every path ends on the sequential engine (one worker's schedule is
     * block order; the optimistic run at one worker would add only the multi-version bookkeeping,
     * 0.69-0.83x of sequential on amm and token, round 5), and the contention sample, the kind and
     * the payoff check would be paid for nothing (round 12's matrix: token/10000 at 1 thread
     * 0.93x, the 256-call sample before every in-order block). Decided before anything else, so
     * such a block costs what the sequential engine costs, and counted as a normal run, not a
     * fallback (nothing parallel was tried, as below the serial threshold). With the contention
     * fallback off a block the schedule does not take keeps the optimistic 1-worker run (the
     * gates exercise it); one the schedule takes runs in order there too, as it did after a sample.
     */
    private boolean inOrderOnly(List<PreparedTx> txs) {
        return options.threads() == 1 && (options.contentionFallback()
                || options.predictedSchedule() && kindOf(txs, true) == ParallelPayoff.Kind.SCHEDULED);
    }

    /**
     * The kind the contention sample would report ({@code SCHEDULED} when every transaction of the
     * sample's prefix is predicted completely, as {@link BlockDependencies#incompleteTxs} counts
     * them), read off the transactions before any sample by
     * {@link DependencyAnalyzer#predictsCompletely}: the type, and for a contract call its list's
     * presence and size, without building a key (round 12 built each call's access set here, about
     * the sample's own work on listed-call blocks). The scan stops at the first incomplete one
     * (e.g. a contract call without an access list).
     */
    static ParallelPayoff.Kind kindOf(List<PreparedTx> txs, boolean predictedSchedule) {
        if (!predictedSchedule) {
            return ParallelPayoff.Kind.OPTIMISTIC;
        }
        for (int i = 0, k = Math.min(txs.size(), CONTENTION_SAMPLE); i < k; i++) {
            if (!DependencyAnalyzer.predictsCompletely(txs.get(i))) {
                return ParallelPayoff.Kind.OPTIMISTIC;
            }
        }
        return ParallelPayoff.Kind.SCHEDULED;
    }

    /** Everything after the sample: the predicted schedule where it applies, else the optimistic run. */
    private BlockOutput executeParallel(BlockContext block, List<PreparedTx> txs, StateView base,
                                        BlockDependencies sample, boolean chainLike) {
        long wasted = 0;
        // A sample that met a transaction without a complete prediction (a contract call without
        // an access list) already says the graph cannot be built: skip the pool-wide prediction.
        if (options.predictedSchedule() && (sample == null || sample.incompleteTxs() == 0)) {
            int workers = scheduleWorkers(sample);
            if (workers == 1) {
                // One worker (a block predicted to be one chain; one thread never gets here, see
                // inOrderOnly): the schedule is
                // block order, each transaction over the committed prefix, which is exactly what
                // the sequential engine does. Predicting and linking a graph only to walk it in
                // order cost 10-15% (docs/PERFORMANCE.md, round 5). Not a fallback: nothing
                // speculative ran or was abandoned (as Aptos's executor at concurrency level 1).
                return sequential.execute(block, txs, base);
            }
            // predicted, linked and run in one pool job (dag.PredictedRun); an incomplete prediction runs nothing
            PredictedRun scheduled = new PredictedRun(block, txs, base, vm, workers);
            BlockOutput out = runScheduled(block, txs, base, scheduled, workers);
            if (out != null) {
                return out;
            }
            wasted = scheduled.executions();
        }
        BlockOutput optimistic = runOptimistic(block, txs, base, sample, chainLike);
        if (wasted == 0) {
            return optimistic;
        }
        ExecutionStats s = optimistic.stats();
        ExecutionStats stats = new ExecutionStats(s.executions() + wasted, s.aborts() + wasted, s.validations(), s.fallbacks());
        return new BlockOutput(optimistic.writes(), optimistic.outcomes(), optimistic.fees(), optimistic.violation(),
                optimistic.violationTx(), stats);
    }

    /**
     * The predicted schedule ({@code io.bitquan.flow.execution.dag}). Null when a transaction
     * touched a key outside its prediction: the caller then runs the block optimistically.
     */
    private BlockOutput runScheduled(BlockContext block, List<PreparedTx> txs, StateView base, PredictedRun run, int workers) {
        try {
            pool.run(workers, run::work);
            lastRun = new RunCounters(run.executions(), 0, 0, 0, 0, 0, 0, 0, 0);
            return run.mispredicted() ? null : run.collect(pool, workers);
        } catch (CancellationException interrupted) {
            throw interrupted;
        } catch (RuntimeException internal) {
            if (!options.sequentialFallbackOnError() || internal instanceof TransactionFailed) {
                throw internal;
            }
            return withFallback(sequential.execute(block, txs, base), run.executions(), 0, 0);
        }
    }

    /**
     * A block of predicted parallelism p keeps about p workers busy; more would only take ready
     * transactions and idle (a chain, p ~ 1, then runs on the calling thread alone, in order, with
     * no hand-off at all). The sample (first 256 transactions) is all that is known before the
     * graph is linked.
     */
    private int scheduleWorkers(BlockDependencies sample) {
        int workers = options.threads();
        if (sample != null) {
            workers = (int) Math.max(1, Math.min(workers, Math.floor(sample.parallelism())));
        }
        return workers;
    }

    /** The paper's optimistic run (Algorithms 1-5), with the shortcuts of {@link BlockStmOptions}. */
    private BlockOutput runOptimistic(BlockContext block, List<PreparedTx> txs, StateView base, BlockDependencies sample,
                                      boolean chainLike) {
        int n = txs.size();
        // A block predicted to be one dependency chain (parallelism below 2) with the fallback off
        // and contention waits on: the cheapest hand-off is none. The calling thread runs it alone
        // as worker 0, in order, so every incarnation starts over a committed prefix and is final
        // (no validation, no abort, no core-to-core hand-off per transaction). Measured before
        // (transfer/2, 2 threads, waits on predicted predecessors): 0.30-0.48x of sequential.
        int workers = options.threads();
        if (!options.contentionFallback() && options.contentionWaits() && chainLike
                && sample.parallelism() < CHAIN_PARALLELISM) {
            workers = 1;
        }
        // Waits on predicted predecessors: always with useAnalyzer; with contentionWaits only for a
        // block predicted to be one long chain, where optimism aborts almost every transaction.
        boolean waits = workers > 1 && (options.useAnalyzer() || (options.contentionWaits() && chainLike));
        // A sample without a single predicted dependency (independent UTXO spends) means there is
        // nothing to wait for: skip the full analysis, which would cost ~10% of such a block.
        BlockDependencies predicted = null;
        if (waits && sample.dependentTxs() > 0) {
            predicted = txs.size() <= CONTENTION_SAMPLE ? sample : DependencyAnalyzer.analyze(txs);
        }
        long budget = options.contentionFallback() ? Math.max(64, (long) (n * ABORTS_PER_TX_BUDGET)) : Long.MAX_VALUE;
        BlockRun run = new BlockRun(block, txs, base, vm, predicted, budget,
                workers, options.commutativeCredits());
        if (workers > 1 && options.threads() < MIN_PARALLEL_OUTPUT_THREADS) {
            run.collectOutputInRun();
        }
        try {
            pool.run(workers, run::work);
            lastRun = run.counters();
            if (run.contended) {
                return withFallback(sequential.execute(block, txs, base), run.executions(), run.aborts(), run.validations());
            }
            return collect(block, txs, run, pool, options.threads(), base);
        } catch (CancellationException interrupted) {
            throw interrupted;
        } catch (RuntimeException internal) {
            if (!options.sequentialFallbackOnError() || !isInternal(internal, run)) {
                throw internal;
            }
            return withFallback(sequential.execute(block, txs, base), run.executions(), run.aborts(), run.validations());
        }
    }

    /**
     * Everything thrown here is internal except a VM failure that survived validation (thrown by
     * {@link #collect} as the sequential engine would): VM failures are recorded as results.
     */
    private static boolean isInternal(RuntimeException e, BlockRun run) {
        return !(e instanceof TransactionFailed);
    }

    private static BlockOutput withFallback(BlockOutput seq, long executions, long aborts, long validations) {
        ExecutionStats s = seq.stats();
        ExecutionStats stats = new ExecutionStats(s.executions() + executions, aborts, validations, 1);
        return new BlockOutput(seq.writes(), seq.outcomes(), seq.fees(), seq.violation(), seq.violationTx(), stats);
    }

    /**
     * Reads the run's results in block order: the lowest violation rejects (a rule broken by a
     * transaction, or a credit that left the money range, found while resolving credits), else the
     * final write set.
     */
    private static BlockOutput collect(BlockContext block, List<PreparedTx> txs, BlockRun run, WorkerPool pool, int threads,
                                       StateView base) {
        run.scheduler.checkAllExecuted();
        ExecutionStats stats = new ExecutionStats(run.executions(), run.aborts(), run.validations(), 0);
        MvMemory.FinalWrites inRun = run.collectedOutput();
        MvMemory.FinalWrites finalWrites = inRun != null ? inRun
                : WriteSetSorter.collect(run.memory, base, pool, threads < MIN_PARALLEL_OUTPUT_THREADS ? 1 : threads);
        if (finalWrites.overflow() == null && run.nonOutcomes() == 0) {
            return SequentialEngine.finish(block, txs, finalWrites.writes(), outcomesUnread(run, txs.size()),
                    run.fees(), stats);
        }
        int stopAt = finalWrites.overflow() == null ? txs.size() : finalWrites.overflowTx();
        List<TxOutcome> outcomes = new ArrayList<>(txs.size());
        long fees = 0;
        for (int i = 0; i < stopAt; i++) {
            Object result = run.results.get(i);
            if (result instanceof TxOutcome outcome) {
                outcomes.add(outcome);
                fees += outcome.fee();
            } else if (result instanceof RuleViolation violation) {
                return BlockOutput.rejected(violation, i, stats);
            } else if (result instanceof TransactionFailed vmFailure) {
                throw vmFailure; // what the sequential engine would have thrown
            } else {
                throw new InvariantViolation("collect: tx " + i + " has no result (incarnation "
                        + run.scheduler.incarnation(i) + ", " + run.scheduler.status(i) + ")");
            }
        }
        if (finalWrites.overflow() != null) {
            return BlockOutput.rejected(finalWrites.overflow(), stopAt, stats);
        }
        return SequentialEngine.finish(block, txs, finalWrites.writes(), outcomes, fees, stats);
    }

    /**
     * Every result of a run whose results are all outcomes (its tallies say so), without reading
     * one: each was made on whichever core ran it, and reading it back here cost ~100 ns per object
     * on this machine (the fees come from the workers' own tallies instead). The list is typed by
     * the tallies, not by a per-element check; an element that is not an outcome would be a bug
     * in the tallies, and would fail at its first use.
     */
    @SuppressWarnings("unchecked")
    private static List<TxOutcome> outcomesUnread(BlockRun run, int n) {
        Object[] results = new Object[n];
        for (int i = 0; i < n; i++) {
            Object result = run.results.get(i);
            if (result == null) {
                throw new InvariantViolation("collect: tx " + i + " has no result");
            }
            results[i] = result;
        }
        return (List<TxOutcome>) (List<?>) java.util.Arrays.asList(results);
    }

    /** Diagnostics of the last block that took the parallel path ({@link RunCounters#NONE} before any). */
    public RunCounters lastRunCounters() {
        return lastRun;
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
