package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import org.junit.jupiter.api.Test;

/** The model's structure, not its timings: a full-contention block has no parallelism, independent spends a lot. */
class WorkSpanModelTest {

    @Test
    void fullContentionHasParallelismOneAndNoSimulatedSpeedup() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 400, Workload.TRANSFER).withAccounts(2));
        WorkSpanModel.Result r = WorkSpanModel.measure(b.context(), b.txs(), b.base(), new ChainVm(), 3, 0.0);
        // Two accounts: every transfer reads a sender that the previous transfer touched.
        assertThat(r.parallelism()).isLessThan(1.5);
        assertThat(r.simulated().get(8)).isLessThan(1.5);
    }

    @Test
    void independentSpendsScaleWithWorkersAndOverheadCostsWhatItShould() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 400, Workload.UTXO));
        WorkSpanModel.Result free = WorkSpanModel.measure(b.context(), b.txs(), b.base(), new ChainVm(), 3, 0.0);
        assertThat(free.parallelism()).isGreaterThan(50);
        // No overhead and independent transactions: P workers give close to P (list scheduling
        // of uneven costs loses a little at the end).
        assertThat(free.simulated().get(4)).isBetween(3.0, 4.0 + 1e-9);
        // An overhead equal to the mean cost halves every simulated speedup.
        WorkSpanModel.Result doubled = WorkSpanModel.measure(b.context(), b.txs(), b.base(), new ChainVm(), 3, 1.0);
        assertThat(doubled.simulated().get(4)).isBetween(1.5, 2.0 + 1e-9);
    }
}
