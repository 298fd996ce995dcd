package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.engine.TransactionFailed;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.twophase.TwoPhaseEngine;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateView;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, engine part: an {@link Error} thrown by a speculative incarnation counts only if the
 * incarnation survives validation, and then as a typed {@link TransactionFailed}, never as an
 * escaped Error; and a transaction's index means its position in the block in every engine.
 */
class SpeculativeFailureTest {
    private static final int[] THREADS = {1, 2, 3, 8, 16};
    private static final StateKey COUNTER = StateKey.account(new byte[32]);

    /**
     * Every transaction bumps one counter, which starts at 1 in storage. A transaction that reads
     * anything but its own index (impossible in block order without the coinbase, where the
     * transaction of index i sees i)
     * overflows the stack or fails an assertion, as a VM might on inconsistent speculative state.
     * Under Block-STM a transaction often reads a stale counter, so this happens speculatively.
     */
    private static final TransactionVm FRAGILE = (tx, block, state) -> {
        AccountState c = AccountRules.read(state, COUNTER);
        long expected = tx.index();
        if (c.balance() != expected) {
            if ((c.balance() & 1) == 0) {
                throw new StackOverflowError("speculative recursion on a stale read");
            }
            throw new AssertionError("speculative assertion on a stale read");
        }
        state.write(COUNTER, new AccountState(c.balance() + 1, c.nonce()));
        return TxOutcome.ok(0);
    };

    private static StateView withCounter(StateView base) {
        return key -> key.equals(COUNTER) ? new AccountState(1, 0) : base.read(key);
    }

    @Test
    void speculativeErrorsNeverEscapeAndDoNotChangeTheResult() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 300, Workload.TRANSFER).withAccounts(100));
        StateView base = withCounter(b.base());
        List<PreparedTx> txs = b.txs().subList(1, b.txs().size());
        BlockOutput expected = new SequentialEngine(FRAGILE).execute(b.context(), txs, base);
        assertThat(expected.accepted()).isTrue();
        long aborts = 0;
        for (int threads : THREADS) {
            // Random yields inside the VM make workers interleave even on a busy 2-core machine.
            TransactionVm vm = DeterminismTest.yielding(FRAGILE);
            try (BlockStmEngine engine = new BlockStmEngine(vm, BlockStmOptions.strict(threads, false));
                 TwoPhaseEngine twoPhase = new TwoPhaseEngine(vm, threads, false)) {
                for (int rep = 0; rep < 5; rep++) {
                    BlockOutput out = engine.execute(b.context(), txs, base);
                    OutputAssertions.assertSameResult(out, expected, "block-stm x" + threads);
                    aborts += out.stats().aborts();
                    OutputAssertions.assertSameResult(twoPhase.execute(b.context(), txs, base), expected, "two-phase x" + threads);
                }
            }
        }
        assertThat(aborts).as("the block must have been contended, or no speculative error was thrown").isPositive();
    }

    @Test
    void aFinalErrorIsTheSameTypedFailureAtTheSamePositionInEveryEngine() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(4, 1, 200, Workload.UTXO));
        // Drop the coinbase: positions are then one below each transaction's own index().
        List<PreparedTx> txs = b.txs().subList(1, b.txs().size());
        int failing = 57;
        TransactionVm vm = (tx, block, state) -> {
            if (tx == txs.get(failing)) {
                throw new StackOverflowError("final");
            }
            return new ChainVm().execute(tx, block, state);
        };
        for (ExecutionEngine engine : engines(vm)) {
            try (engine) {
                assertThatThrownBy(() -> engine.execute(b.context(), txs, b.base()))
                        .as(engine.name())
                        .isInstanceOfSatisfying(TransactionFailed.class, f -> {
                            assertThat(f.txIndex()).isEqualTo(failing);
                            assertThat(f.getCause()).isInstanceOf(StackOverflowError.class);
                        });
            }
        }
    }

    @Test
    void violationTxIsThePositionInTheBlockInEveryEngine() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(5, 1, 200, Workload.MIXED).withAccounts(50));
        List<PreparedTx> txs = b.txs().subList(1, b.txs().size());
        int breaking = 120;
        TransactionVm vm = (tx, block, state) -> {
            if (tx == txs.get(breaking)) {
                throw new RuleViolation(Rule.TX_MALFORMED, "breaks at one position");
            }
            return new ChainVm().execute(tx, block, state);
        };
        assertThat(txs.get(breaking).index()).as("the test needs index() != position").isNotEqualTo(breaking);
        for (ExecutionEngine engine : engines(vm)) {
            try (engine) {
                BlockOutput out = engine.execute(b.context(), txs, b.base());
                assertThat(out.accepted()).as(engine.name()).isFalse();
                assertThat(out.violationTx()).as(engine.name()).isEqualTo(breaking);
            }
        }
    }

    private static List<ExecutionEngine> engines(TransactionVm vm) {
        return List.of(new SequentialEngine(vm), new BlockStmEngine(vm, BlockStmOptions.strict(2, false)),
                new BlockStmEngine(vm, BlockStmOptions.strict(16, true)),
                new BlockStmEngine(vm, BlockStmOptions.strict(3, false).withPredictedSchedule(true)), new TwoPhaseEngine(vm, 3, false));
    }
}
