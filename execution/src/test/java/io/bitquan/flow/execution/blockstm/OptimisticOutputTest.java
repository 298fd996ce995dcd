package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import org.junit.jupiter.api.Test;

/**
 * The optimistic path's output phase on both of its ways: on the calling thread alone below
 * {@link BlockStmEngine#MIN_PARALLEL_OUTPUT_THREADS} workers, in key ranges on the pool from
 * there (round 10). The block is large enough that {@link WriteSetSorter} would split it (more
 * than 4,096 / 3 transactions), its transfers hit 30 hot accounts (aborts, re-executions,
 * credits), and every run must give the sequential result, with credits as deltas and as
 * read-modify-writes.
 */
class OptimisticOutputTest {
    @Test
    void bothOutputWaysGiveTheSequentialResultOnHotKeys() {
        ChainVm vm = new ChainVm();
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(17, 1, 1_500, Workload.TRANSFER).withAccounts(30));
        assertThat(b.txs().size() * 3).isGreaterThan(4_096);
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
        assertThat(expected.writes()).hasSizeGreaterThan(20);
        for (int threads : new int[] {1, 2, 3, 8, 16}) {
            for (boolean credits : new boolean[] {true, false}) {
                BlockStmOptions options = BlockStmOptions.strict(threads, false).withCommutativeCredits(credits);
                assertThat(options.predictedSchedule()).isFalse();
                try (BlockStmEngine engine = new BlockStmEngine(vm, options)) {
                    for (int rep = 0; rep < 2; rep++) {
                        BlockOutput out = engine.execute(b.context(), b.txs(), b.base());
                        OutputAssertions.assertSameResult(out, expected, "x" + threads + " credits=" + credits);
                        assertThat(out.stats().fallbacks()).isZero();
                    }
                }
            }
        }
    }
}
