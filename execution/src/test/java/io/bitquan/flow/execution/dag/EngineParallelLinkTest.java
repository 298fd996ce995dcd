package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import org.junit.jupiter.api.Test;

/**
 * The parallel link through the engine (round 17): Block-STM with every fallback off and the
 * predicted schedule on, at 1, 2, 3, 8 and 16 threads (oversubscribed), on blocks large enough
 * for the default linker count to be above one at 8 and 16 workers (one linker at 1-3, the
 * serial link): the sequential result at every count, several runs each.
 */
class EngineParallelLinkTest {
    private final ChainVm vm = new ChainVm();

    @Test
    void theEngineWithParallelLinksGivesTheSequentialResult() {
        int size = PredictedRun.MIN_PARALLEL_LINK + 200;
        assertThat(PredictedRun.linkers(8, size)).as("8 workers link in parallel").isGreaterThan(1);
        assertThat(PredictedRun.linkers(16, size)).as("16 workers link in parallel").isGreaterThan(1);
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(177, 1, size, Workload.TRANSFER).withAccounts(4),
                GeneratorOptions.of(178, 1, size, Workload.TRANSFER).withAccounts(2),
                GeneratorOptions.of(179, 1, size, Workload.UTXO),
                GeneratorOptions.of(180, 1, size, Workload.MIXED).withAccounts(60)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            for (int threads : new int[] {1, 2, 3, 8, 16}) {
                try (BlockStmEngine engine = new BlockStmEngine(vm, BlockStmOptions.strict(threads, false).withPredictedSchedule(true))) {
                    for (int rep = 0; rep < 3; rep++) {
                        OutputAssertions.assertSameResult(engine.execute(b.context(), b.txs(), b.base()), expected,
                                options.workload().id() + "/" + options.accounts() + " x" + threads + " rep " + rep);
                    }
                }
            }
        }
    }
}
