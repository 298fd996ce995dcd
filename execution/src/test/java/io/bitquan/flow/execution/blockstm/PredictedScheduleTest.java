package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Block-STM's predicted schedule ({@code io.bitquan.flow.execution.dag}), observed through the
 * stats: blocks whose access sets are fully predicted run each transaction exactly once with no
 * abort and no validation, at every thread count, with the sequential result; a transaction that
 * touches an unpredicted key voids the scheduled run and the block still gets the sequential
 * result, optimistically. Strict options otherwise (no fallback hides a bug).
 */
class PredictedScheduleTest {
    private static final int[] THREADS = {1, 2, 3, 8, 16};
    private final ChainVm vm = new ChainVm();

    @Test
    void predictedBlocksRunEachTransactionOnceWithTheSequentialResult() {
        GeneratorOptions[] blocks = {
            GeneratorOptions.of(21, 1, 600, Workload.UTXO),
            GeneratorOptions.of(22, 1, 600, Workload.UTXO_CHAINED),
            GeneratorOptions.of(23, 1, 600, Workload.TRANSFER).withAccounts(50),
            GeneratorOptions.of(24, 1, 600, Workload.TRANSFER).withAccounts(2),
            GeneratorOptions.of(25, 1, 600, Workload.MIXED).withAccounts(30),
        };
        for (GeneratorOptions options : blocks) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            assertThat(expected.accepted()).isTrue();
            for (int threads : THREADS) {
                try (BlockStmEngine e = new BlockStmEngine(vm, BlockStmOptions.strict(threads, false).withPredictedSchedule(true))) {
                    for (int rep = 0; rep < 3; rep++) {
                        BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                        String what = options.workload().id() + " x" + threads;
                        OutputAssertions.assertScheduledOnce(out, expected, b.txs().size(), what);
                    }
                }
            }
        }
    }

    /**
     * Every 97th transaction also bumps a counter no prediction names: the first one to run voids
     * the scheduled run (its executions are counted as aborts) and the block is executed
     * optimistically, with the sequential result.
     */
    @Test
    void anUnpredictedKeyVoidsTheScheduleAndTheBlockRunsOptimistically() {
        StateKey hidden = StateKey.account(new byte[32]);
        AtomicInteger hiddenTouches = new AtomicInteger();
        TransactionVm sneaky = (tx, ctx, state) -> {
            var outcome = vm.execute(tx, ctx, state);
            if (tx.index() % 97 == 5) {
                hiddenTouches.incrementAndGet();
                AccountState c = AccountRules.read(state, hidden);
                state.write(hidden, new AccountState(c.balance() + tx.index(), c.nonce()));
            }
            return outcome;
        };
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(26, 1, 500, Workload.TRANSFER).withAccounts(200));
        BlockOutput expected = new SequentialEngine(sneaky).execute(b.context(), b.txs(), b.base());
        assertThat(expected.writes()).anyMatch(w -> w.key().equals(hidden));
        for (int threads : THREADS) {
            try (BlockStmEngine e = new BlockStmEngine(sneaky, BlockStmOptions.strict(threads, false).withPredictedSchedule(true))) {
                BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                OutputAssertions.assertSameResult(out, expected, "mispredicted x" + threads);
                assertThat(out.stats().fallbacks()).isZero();
                if (threads == 1) {
                    // one worker runs the block in order: nothing is predicted, so nothing is voided
                    assertThat(out.stats().aborts()).as("one worker, block order").isZero();
                } else {
                    assertThat(out.stats().aborts()).as("the voided scheduled executions").isPositive();
                }
            }
        }
    }

    /** The switch decides which view the VM is handed: the schedule's slots or the multi-version memory. */
    @Test
    void theScheduleIsSwitchable() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(27, 1, 600, Workload.UTXO));
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
        java.util.Set<String> views = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TransactionVm probe = (tx, ctx, state) -> {
            views.add(state.getClass().getSimpleName());
            return vm.execute(tx, ctx, state);
        };
        assertThat(BlockStmOptions.defaults(2).predictedSchedule()).isTrue();
        for (boolean scheduled : new boolean[] {true, false}) {
            views.clear();
            try (BlockStmEngine e = new BlockStmEngine(probe, BlockStmOptions.strict(2, false).withPredictedSchedule(scheduled))) {
                OutputAssertions.assertSameResult(e.execute(b.context(), b.txs(), b.base()), expected, "scheduled " + scheduled);
            }
            assertThat(views).containsExactly(scheduled ? "ScheduledView" : "VersionedView");
        }
    }
}
