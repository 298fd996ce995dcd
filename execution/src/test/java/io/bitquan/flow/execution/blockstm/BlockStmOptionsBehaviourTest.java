package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import org.junit.jupiter.api.Test;

/** What each switch of {@link BlockStmOptions} does, observed through the stats; results always equal sequential. */
class BlockStmOptionsBehaviourTest {
    private final ChainVm vm = new ChainVm();

    /**
     * The VM that records whether it ran on a parallel path (a {@link VersionedView}, or the
     * predicted schedule's view) or the sequential one (a {@code WriteBuffer}). Validation counts cannot tell: with the commit index, a transaction that
     * started over a committed prefix is never validated, so a parallel run may validate nothing.
     */
    private final class PathProbe implements TransactionVm {
        volatile boolean parallel;

        @Override
        public TxOutcome execute(io.bitquan.flow.model.rules.PreparedTx tx, io.bitquan.flow.execution.vm.BlockContext ctx,
                                 io.bitquan.flow.model.rules.StateAccess state) {
            if (!(state instanceof io.bitquan.flow.execution.engine.WriteBuffer)) {
                parallel = true;
            }
            return vm.execute(tx, ctx, state);
        }
    }

    private BlockOutput reference(BlockFixtures b) {
        return new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
    }

    /**
     * The analyzer's predictions are exact for generated valid blocks (UTXO inputs/outputs,
     * transfer endpoints), so waiting for predicted predecessors leaves nothing to abort.
     */
    @Test
    void exactPredictionsMeanZeroAbortsAtAnyThreadCount() {
        for (Workload w : Workload.values()) {
            BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(21, 1, 300, w).withAccounts(4));
            BlockOutput expected = reference(b);
            for (int threads : new int[] {2, 4, 8}) {
                try (BlockStmEngine e = new BlockStmEngine(vm, BlockStmOptions.strict(threads, true))) {
                    for (int rep = 0; rep < 5; rep++) {
                        BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                        OutputAssertions.assertSameResult(out, expected, w + " x" + threads);
                        assertThat(out.stats().aborts()).as(w + " x" + threads).isZero();
                        assertThat(out.stats().executions()).isEqualTo(b.txs().size());
                    }
                }
            }
        }
    }

    @Test
    void smallBlocksBelowTheSerialThresholdRunSequentially() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(2, 1, 10, Workload.TRANSFER).withAccounts(100));
        PathProbe serial = new PathProbe();
        try (BlockStmEngine e = new BlockStmEngine(serial, BlockStmOptions.strict(2, true).withSerialThreshold(32))) {
            BlockOutput out = e.execute(b.context(), b.txs(), b.base());
            OutputAssertions.assertSameResult(out, reference(b), "serial");
            assertThat(out.stats().validations()).isZero();
            assertThat(out.stats().fallbacks()).isZero();
            assertThat(serial.parallel).isFalse();
        }
        PathProbe parallel = new PathProbe();
        try (BlockStmEngine e = new BlockStmEngine(parallel, BlockStmOptions.strict(2, true))) {
            OutputAssertions.assertSameResult(e.execute(b.context(), b.txs(), b.base()), reference(b), "parallel");
            assertThat(parallel.parallel).isTrue();
        }
    }

    @Test
    void fullContentionTakesThePredictedFallbackAndStillMatches() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(4, 1, 400, Workload.TRANSFER).withAccounts(2));
        try (BlockStmEngine e = new BlockStmEngine(vm, BlockStmOptions.strict(2, true).withContentionFallback(true))) {
            BlockOutput out = e.execute(b.context(), b.txs(), b.base());
            OutputAssertions.assertSameResult(out, reference(b), "contention fallback");
            assertThat(out.stats().fallbacks()).isEqualTo(1);
        }
    }

    @Test
    void independentBlocksNeverFallBack() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(4, 1, 400, Workload.UTXO));
        PathProbe probe = new PathProbe();
        try (BlockStmEngine e = new BlockStmEngine(probe, BlockStmOptions.defaults(2).withSequentialFallbackOnError(false))) {
            BlockOutput out = e.execute(b.context(), b.txs(), b.base());
            OutputAssertions.assertSameResult(out, reference(b), "utxo");
            assertThat(out.stats().fallbacks()).isZero();
            assertThat(probe.parallel).isTrue();
        }
    }

    /**
     * One worker with the contention fallback on: a block the predicted schedule does not take
     * runs on the sequential engine (the optimistic run would only add bookkeeping; since round 13
     * decided before anything else and counted as a normal run, not a fallback); with the
     * predicted schedule on, one worker's schedule is block order, run without a graph (counted as
     * a normal run, not a fallback); with the fallback off the optimistic 1-worker run stays (the
     * gates run it).
     */
    @Test
    void oneWorkerRunsSequentiallyUnlessScheduledOrStrict() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(4, 1, 400, Workload.UTXO));
        BlockOutput expected = reference(b);
        PathProbe optimistic = new PathProbe();
        try (BlockStmEngine e = new BlockStmEngine(optimistic, BlockStmOptions.defaults(1).withPredictedSchedule(false))) {
            BlockOutput out = e.execute(b.context(), b.txs(), b.base());
            OutputAssertions.assertSameResult(out, expected, "1 worker, not scheduled");
            assertThat(out.stats().fallbacks()).isZero(); // nothing parallel was tried: not a fallback
            assertThat(optimistic.parallel).isFalse();
        }
        PathProbe scheduled = new PathProbe();
        try (BlockStmEngine e = new BlockStmEngine(scheduled, BlockStmOptions.defaults(1))) {
            BlockOutput out = e.execute(b.context(), b.txs(), b.base());
            OutputAssertions.assertSameResult(out, expected, "1 worker, scheduled");
            assertThat(out.stats().fallbacks()).isZero(); // block order is the schedule: not a fallback
            assertThat(scheduled.parallel).as("one worker builds no graph").isFalse();
        }
        PathProbe strict = new PathProbe();
        try (BlockStmEngine e = new BlockStmEngine(strict, BlockStmOptions.defaults(1).withPredictedSchedule(false)
                .withContentionFallback(false).withSequentialFallbackOnError(false))) {
            BlockOutput out = e.execute(b.context(), b.txs(), b.base());
            OutputAssertions.assertSameResult(out, expected, "1 worker, fallback off");
            assertThat(out.stats().fallbacks()).isZero();
            assertThat(strict.parallel).isTrue();
        }
    }

    /** With waits on predictions off, the predicted check alone still routes a hopeless block to sequential. */
    @Test
    void predictedFallbackWorksWithoutAnalyzerWaits() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(8, 1, 2000, Workload.TRANSFER).withAccounts(2));
        try (BlockStmEngine e = new BlockStmEngine(vm, new BlockStmOptions(8, 0, true, false, false, true, true, false))) {
            BlockOutput out = e.execute(b.context(), b.txs(), b.base());
            OutputAssertions.assertSameResult(out, reference(b), "predicted");
            assertThat(out.stats().fallbacks()).isEqualTo(1);
            assertThat(out.stats().validations()).isZero();
        }
    }

    /**
     * A conflict the analyzer cannot see (every transaction also bumps one hidden counter): the
     * prediction says "parallel", the run says otherwise (the hot-key check: more than half of
     * the transactions so far wrote one key; or the abort budget), and the run is abandoned
     * early, after a small part of the block, at every worker count.
     */
    @Test
    void aRunWhoseConflictsWereNotPredictedIsAbandonedEarly() {
        StateKey hot = StateKey.account(new byte[32]);
        TransactionVm hiddenHotspot = (tx, ctx, state) -> {
            TxOutcome outcome = vm.execute(tx, ctx, state);
            AccountState counter = AccountRules.read(state, hot);
            state.write(hot, new AccountState(counter.balance() + 1, counter.nonce()));
            return outcome;
        };
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(8, 1, 1000, Workload.UTXO));
        int n = b.txs().size();
        BlockOutput expected = new SequentialEngine(hiddenHotspot).execute(b.context(), b.txs(), b.base());
        for (int threads : new int[] {2, 3, 8}) {
            try (BlockStmEngine e = new BlockStmEngine(hiddenHotspot, new BlockStmOptions(threads, 0, true, true, false, true, true, false))) {
                for (int rep = 0; rep < 4; rep++) {
                    BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                    OutputAssertions.assertSameResult(out, expected, "hot key x" + threads);
                    assertThat(out.stats().fallbacks()).as("x" + threads).isEqualTo(1);
                    // The fallback's executions are the sequential run's n plus the abandoned
                    // run's: the hot-key check gives up near transaction 2 * HOT_KEY_WRITERS.
                    assertThat(out.stats().executions() - n).as("wasted executions x" + threads).isLessThan(n / 2);
                }
            }
        }
    }

    /**
     * Full contention with the contention fallback off: the engine predicts a chain and runs it on
     * the calling thread alone, in order over a committed prefix, instead of aborting on almost
     * every transaction (strict options, without this, abort thousands of times on the same
     * block): no abort, no validation, no fallback, every VM call on the caller.
     */
    @Test
    void contentionWaitsHandleAChainWithoutTheFallback() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(8, 1, 2000, Workload.TRANSFER).withAccounts(2));
        BlockOutput expected = reference(b);
        for (int threads : new int[] {2, 3, 8}) {
            Thread caller = Thread.currentThread();
            java.util.concurrent.atomic.AtomicInteger elsewhere = new java.util.concurrent.atomic.AtomicInteger();
            TransactionVm onCaller = (tx, ctx, state) -> {
                if (Thread.currentThread() != caller) {
                    elsewhere.incrementAndGet();
                }
                return vm.execute(tx, ctx, state);
            };
            try (BlockStmEngine e = new BlockStmEngine(onCaller,
                    BlockStmOptions.defaults(threads).withContentionFallback(false).withPredictedSchedule(false))) {
                BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                OutputAssertions.assertSameResult(out, expected, "chain x" + threads);
                assertThat(out.stats().fallbacks()).isZero();
                assertThat(out.stats().aborts()).as("x" + threads).isZero();
                assertThat(out.stats().validations()).as("x" + threads).isZero();
                assertThat(elsewhere.get()).as("x" + threads).isZero();
            }
        }
    }
}
