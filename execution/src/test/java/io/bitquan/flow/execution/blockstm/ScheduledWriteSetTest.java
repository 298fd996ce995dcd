package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import org.junit.jupiter.api.Test;

/**
 * Blocks large enough (over 4,096 written keys) that the predicted schedule's write set is
 * worth spreading: sorted by the linker during the run (radix passes over key prefixes, ties
 * broken by known order or by the keys), its writes made by the workers in claimed chunks, and
 * the keys not written dropped. The same writes, in the same order, as the sequential engine, at
 * every worker count. UTXO outputs of one transaction share their 8-byte prefix, so ties are many.
 */
class ScheduledWriteSetTest {
    private final ChainVm vm = new ChainVm();

    @Test
    void largeScheduledBlocksMakeTheirWriteSetsInTheSequentialOrder() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(51, 1, 2_000, Workload.UTXO),
                GeneratorOptions.of(52, 1, 2_500, Workload.MIXED).withAccounts(3_000)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            assertThat(expected.accepted()).isTrue();
            assertThat(expected.writes().size()).as("large enough to sort in ranges").isGreaterThan(4_096);
            for (int threads : new int[] {2, 3, 8, 16}) {
                try (BlockStmEngine e = new BlockStmEngine(vm, BlockStmOptions.strict(threads, false).withPredictedSchedule(true))) {
                    BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                    OutputAssertions.assertScheduledOnce(out, expected, b.txs().size(), options.workload().id() + " x" + threads);
                }
            }
        }
    }
}
