package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.engine.WriteBuffer;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.rules.TxOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Round 13, the 1-thread floor: at one thread the engine cannot overlap anything, so a block must
 * cost what the sequential engine costs. Counted, not timed: no contention sample is taken (the
 * engine's {@code samples} counter), nothing runs outside the sequential engine's own view, no
 * fallback is counted, and the result is the sequential one, for every native workload (chains,
 * Zipf transfers, independent and chained spends, the mix) and every option set the bench runs at
 * one thread. The controls show the counter and the probe can fail: the same blocks at two or more
 * threads with the fallback off take a sample and run in parallel, and one thread with the
 * fallback off on a block the schedule does not take keeps the multi-version 1-worker run.
 */
class OneThreadFloorTest {
    private static final int BLOCKS = 6;

    /** Records whether any transaction ran outside the sequential engine's write buffer. */
    private static final class PathProbe implements TransactionVm {
        private final TransactionVm vm = new ChainVm();
        volatile boolean parallel;

        @Override
        public TxOutcome execute(PreparedTx tx, BlockContext ctx, StateAccess state) {
            if (!(state instanceof WriteBuffer)) {
                parallel = true;
            }
            return vm.execute(tx, ctx, state);
        }
    }

    private static List<BlockFixtures> blocks() {
        return List.of(
                BlockFixtures.firstBlock(GeneratorOptions.of(41, 1, 600, Workload.TRANSFER).withAccounts(5_000)),
                BlockFixtures.firstBlock(GeneratorOptions.of(42, 1, 600, Workload.TRANSFER).withAccounts(2)),
                BlockFixtures.firstBlock(GeneratorOptions.of(43, 1, 600, Workload.UTXO)),
                BlockFixtures.firstBlock(GeneratorOptions.of(44, 1, 600, Workload.UTXO_CHAINED)),
                BlockFixtures.firstBlock(GeneratorOptions.of(45, 1, 600, Workload.MIXED)));
    }

    @Test
    void oneThreadTakesNoSampleAndRunsTheSequentialEngine() {
        List<BlockStmOptions> oneThread = List.of(
                BlockStmOptions.defaults(1),
                BlockStmOptions.defaults(1).withPredictedSchedule(false), // the optimistic kind
                BlockStmOptions.defaults(1).withPayoffCheck(false),
                BlockStmOptions.defaults(1).withContentionFallback(false), // scheduled kind: block order is the schedule
                BlockStmOptions.defaults(1).withAnalyzer(true));
        for (BlockFixtures b : blocks()) {
            BlockOutput expected = new SequentialEngine(new ChainVm()).execute(b.context(), b.txs(), b.base());
            for (BlockStmOptions options : oneThread) {
                PathProbe vm = new PathProbe();
                try (BlockStmEngine e = new BlockStmEngine(vm, options)) {
                    for (int block = 0; block < BLOCKS; block++) {
                        BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                        OutputAssertions.assertSameResult(out, expected, options + " block " + block);
                        assertThat(out.stats().fallbacks()).as("%s: nothing parallel was tried", options).isZero();
                    }
                    assertThat(e.samplesTaken()).as("%s", options).isZero();
                    assertThat(vm.parallel).as("%s: every transaction on the sequential engine", options).isFalse();
                }
            }
        }
    }

    @Test
    void theControlsTakeTheSampleAndTheParallelPath() {
        for (BlockFixtures b : blocks()) {
            BlockOutput expected = new SequentialEngine(new ChainVm()).execute(b.context(), b.txs(), b.base());
            for (int threads : new int[] {2, 3, 8, 16}) {
                try (BlockStmEngine e = new BlockStmEngine(new ChainVm(), BlockStmOptions.defaults(threads)
                        .withContentionFallback(false).withSequentialFallbackOnError(false))) {
                    for (int block = 0; block < 2; block++) {
                        OutputAssertions.assertSameResult(e.execute(b.context(), b.txs(), b.base()), expected,
                                "fallback off x" + threads);
                    }
                    assertThat(e.samplesTaken()).as("x%d", threads).isEqualTo(2);
                }
            }
            PathProbe vm = new PathProbe();
            try (BlockStmEngine e = new BlockStmEngine(vm, BlockStmOptions.defaults(1).withPredictedSchedule(false)
                    .withContentionFallback(false).withSequentialFallbackOnError(false))) {
                OutputAssertions.assertSameResult(e.execute(b.context(), b.txs(), b.base()), expected, "1 worker, optimistic");
                assertThat(e.samplesTaken()).isEqualTo(1);
                assertThat(vm.parallel).as("the strict 1-worker run stays").isTrue();
            }
        }
    }
}
