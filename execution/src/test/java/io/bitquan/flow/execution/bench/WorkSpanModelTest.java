package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's structure, not its timings: the dependency graph comes from a real sequential pass,
 * the costs are set here (uniform), so every figure is exact and the test cannot depend on how
 * busy the machine is. One test runs the measured path and checks only what timings cannot move.
 */
class WorkSpanModelTest {

    private static double[] uniform(int n) {
        double[] costs = new double[n];
        Arrays.fill(costs, 1.0);
        return costs;
    }

    @Test
    void fullContentionHasParallelismOneAndNoSimulatedSpeedup() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 400, Workload.TRANSFER).withAccounts(2));
        List<WorkSpanModel.Access> graph = WorkSpanModel.record(b.context(), b.txs(), b.base(), new ChainVm());
        WorkSpanModel.Result r = WorkSpanModel.model(graph, uniform(graph.size()), 0.0);
        // Two accounts: every transfer reads a sender that the previous transfer touched.
        assertThat(r.parallelism()).isLessThan(1.5);
        assertThat(r.simulated().get(8)).isLessThan(1.5);
    }

    @Test
    void independentSpendsScaleWithWorkersAndOverheadCostsWhatItShould() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 400, Workload.UTXO));
        List<WorkSpanModel.Access> graph = WorkSpanModel.record(b.context(), b.txs(), b.base(), new ChainVm());
        WorkSpanModel.Result free = WorkSpanModel.model(graph, uniform(graph.size()), 0.0);
        assertThat(free.parallelism()).isGreaterThan(50);
        // No overhead, independent unit-cost transactions: P workers give P, bar the dependency
        // chains the block does have.
        assertThat(free.simulated().get(4)).isBetween(3.5, 4.0 + 1e-9);
        // An overhead equal to the mean cost halves every simulated speedup.
        WorkSpanModel.Result doubled = WorkSpanModel.model(graph, uniform(graph.size()), 1.0);
        assertThat(doubled.simulated().get(4)).isBetween(1.75, 2.0 + 1e-9);
    }

    @Test
    void measuredModelAddsUpWhateverTheTimings() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 200, Workload.UTXO));
        WorkSpanModel.Result r = WorkSpanModel.measure(b.context(), b.txs(), b.base(), new ChainVm(), 3, 0.5);
        // Timings move the numbers, never these relations: span <= work, a speedup never exceeds
        // the worker count, and the per-transaction overhead is half the mean measured cost.
        assertThat(r.spanMs()).isPositive().isLessThanOrEqualTo(r.workMs());
        r.simulated().forEach((workers, speedup) -> assertThat(speedup).isPositive().isLessThanOrEqualTo(workers + 1e-9));
        assertThat(r.overheadUs()).isCloseTo(0.5 * r.workMs() * 1000 / b.txs().size(), org.assertj.core.data.Offset.offset(1e-6));
    }
}
