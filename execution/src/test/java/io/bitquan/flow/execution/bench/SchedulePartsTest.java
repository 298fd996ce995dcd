package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import org.junit.jupiter.api.Test;

/**
 * The parts are measured through the {@code dag} package's own code (reached by reflection: a
 * renamed member fails here, not silently in a launch); only relations no timing can move are
 * asserted.
 */
class SchedulePartsTest {

    @Test
    void aPredictedBlocksPartsAreMeasuredAtEveryLinkerCount() {
        for (Workload workload : new Workload[] {Workload.UTXO, Workload.TRANSFER, Workload.MIXED}) {
            BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(7, 1, 300, workload));
            ScheduleParts.Result r = ScheduleParts.measure(b.context(), b.txs(), b.base(), new ChainVm(), 1, 3);
            assertThat(r).as("%s: the dag internals reached", workload).isNotNull();
            assertThat(r.sequentialMs()).isPositive();
            assertThat(r.predictMs()).isPositive();
            assertThat(r.collectMs()).isNotNegative();
            assertThat(r.links().keySet()).containsExactly(1, 2, 4, 8, 16);
            r.links().forEach((linkers, l) -> {
                // the largest shard's link is part of all the shards' link
                assertThat(l.spanMs()).as("%s, %d linkers", workload, linkers).isPositive().isLessThanOrEqualTo(l.sumMs());
                assertThat(l.allocMs()).isPositive();
                assertThat(l.sortMs()).isNotNegative();
                assertThat(l.countMs()).isNotNegative();
            });
        }
    }
}
