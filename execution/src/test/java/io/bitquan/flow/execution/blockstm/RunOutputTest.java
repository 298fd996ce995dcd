package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import org.junit.jupiter.api.Test;

/**
 * The final writes collected by the run's own workers in claimed chunks and sorted by them in
 * claimed key ranges ({@link BlockRun#collectOutputInRun}, rounds 11 and 20) against the caller-alone collection of the same
 * memory ({@link WriteSetSorter#collect} with one slice): same writes in the same order, same
 * overflow, at 1, 2, 3, 8 and 16 workers, credits as deltas and as read-modify-writes, on a block
 * of 1,500 transfers over 30 hot accounts (aborts, re-executions, several chunks). The engine-level
 * comparison with the sequential result is {@link OptimisticOutputTest}'s (two workers take this
 * way there) and {@link CommutativeCreditsTest}'s (overflowing credits).
 */
class RunOutputTest {
    private static final ChainVm VM = new ChainVm();

    @Test
    void chunksCollectedInTheRunGiveTheCallersWriteSet() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(23, 1, 1_500, Workload.TRANSFER).withAccounts(30));
        assertThat(b.txs().size()).isGreaterThan(2 * BlockRun.OUTPUT_CHUNK_TXS);
        for (int workers : new int[] {1, 2, 3, 8, 16}) {
            for (boolean credits : new boolean[] {true, false}) {
                String as = "workers=" + workers + " credits=" + credits;
                BlockRun run = new BlockRun(b.context(), b.txs(), b.base(), VM, null, Long.MAX_VALUE, workers, credits);
                run.collectOutputInRun();
                try (WorkerPool pool = new WorkerPool(workers)) {
                    pool.run(workers, run::work);
                    MvMemory.FinalWrites inRun = run.collectedOutput();
                    assertThat(inRun).as(as).isNotNull();
                    MvMemory.FinalWrites alone = WriteSetSorter.collect(run.memory, b.base(), pool, 1);
                    assertThat(inRun.writes()).as(as).hasSizeGreaterThan(20).isEqualTo(alone.writes());
                    assertThat(inRun.overflowTx()).as(as).isEqualTo(alone.overflowTx());
                    assertThat(inRun.overflow() == null).as(as).isEqualTo(alone.overflow() == null);
                }
            }
        }
    }

    @Test
    void aBlockThatWritesNothingGivesAnEmptySortedOutput() {
        // no sampled transaction wrote a key: no cuts, every (absent) write in the first range
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(23, 1, 600, Workload.TRANSFER).withAccounts(30));
        io.bitquan.flow.execution.vm.TransactionVm readOnly = (tx, block, state) -> {
            state.read(io.bitquan.flow.model.state.StateKey.account(new byte[32]));
            return io.bitquan.flow.model.rules.TxOutcome.ok(0);
        };
        for (int workers : new int[] {1, 2, 3, 8, 16}) {
            BlockRun run = new BlockRun(b.context(), b.txs(), b.base(), readOnly, null, Long.MAX_VALUE, workers, true);
            run.collectOutputInRun();
            try (WorkerPool pool = new WorkerPool(workers)) {
                pool.run(workers, run::work);
            }
            MvMemory.FinalWrites out = run.collectedOutput();
            assertThat(out).as("workers=" + workers).isNotNull();
            assertThat(out.writes()).as("workers=" + workers).isEmpty();
            assertThat(out.overflow()).isNull();
        }
    }

    @Test
    void aStoppedRunReportsNoOutput() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(23, 1, 600, Workload.TRANSFER).withAccounts(30));
        BlockRun run = new BlockRun(b.context(), b.txs(), b.base(), VM, null, Long.MAX_VALUE, 2, true);
        run.collectOutputInRun();
        WorkerPool.Stop stop = new WorkerPool.Stop();
        stop.raise();
        run.work(0, stop);
        assertThat(run.scheduler.done()).isFalse();
        assertThat(run.collectedOutput()).isNull();
    }

    @Test
    void aRunNotAskedToCollectReportsNoOutput() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(23, 1, 600, Workload.TRANSFER).withAccounts(30));
        BlockRun run = new BlockRun(b.context(), b.txs(), b.base(), VM, null, Long.MAX_VALUE, 2, true);
        try (WorkerPool pool = new WorkerPool(2)) {
            pool.run(2, run::work);
        }
        assertThat(run.scheduler.done()).isTrue();
        assertThat(run.collectedOutput()).isNull();
    }
}
