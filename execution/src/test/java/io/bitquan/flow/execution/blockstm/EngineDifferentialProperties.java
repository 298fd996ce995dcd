package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.twophase.TwoPhaseEngine;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Provide;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Differential properties: on random chains of every workload and contention level, with
 * invalid block variants, Block-STM (with and without the analyzer, with commutative credits on
 * and off, optimistic and on the predicted schedule) and two-phase at 1, 2, 3, 8 and 16 threads give byte-identical write sets, outcomes, fees and rejection rules to the sequential
 * reference. Strict options: no serial threshold, no contention fallback, no error fallback.
 */
class EngineDifferentialProperties {

    @Property
    void parallelEnginesMatchSequential(@ForAll Workload workload,
                                        @ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                        @ForAll @IntRange(min = 2, max = 1000) int accounts,
                                        @ForAll @IntRange(min = 1, max = 80) int txsPerBlock,
                                        @ForAll @IntRange(min = 0, max = 2) int invalidEvery,
                                        @ForAll("threadCounts") int threads,
                                        @ForAll boolean analyzer,
                                        @ForAll boolean credits) {
        runAndCompare(GeneratorOptions.of(seed, 3, txsPerBlock, workload).withAccounts(accounts).withInvalidEvery(invalidEvery),
                threads, analyzer, credits);
    }

    /** Full contention: every transfer touches the same two or three accounts. */
    @Property(tries = 30)
    void fullContentionMatchesSequential(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
                                         @ForAll @IntRange(min = 2, max = 3) int accounts,
                                         @ForAll @IntRange(min = 20, max = 150) int txsPerBlock,
                                         @ForAll("threadCounts") int threads,
                                         @ForAll boolean analyzer) {
        // Credits on and off on the same block: the delta path and the read-modify-write path.
        runAndCompare(GeneratorOptions.of(seed, 2, txsPerBlock, Workload.TRANSFER).withAccounts(accounts).withInvalidEvery(1),
                threads, analyzer, true);
        runAndCompare(GeneratorOptions.of(seed, 2, txsPerBlock, Workload.TRANSFER).withAccounts(accounts).withInvalidEvery(1),
                threads, analyzer, false);
    }

    /** The thread counts every gate runs: 1, 2, 3 and, oversubscribed on small machines, 8 and 16. */
    @Provide
    Arbitrary<Integer> threadCounts() {
        return Arbitraries.of(1, 2, 3, 8, 16);
    }

    static void runAndCompare(GeneratorOptions options, int threads, boolean analyzer, boolean credits) {
        ChainGenerator gen = new ChainGenerator(options);
        List<ChainEvent> events = gen.generateAll();
        TransactionVm vm = new ChainVm();
        List<ExecutionEngine> candidates = List.of(
                new BlockStmEngine(vm, BlockStmOptions.strict(threads, analyzer).withCommutativeCredits(credits)),
                new BlockStmEngine(vm, BlockStmOptions.strict(threads, analyzer).withCommutativeCredits(credits)
                        .withPredictedSchedule(true)),
                new TwoPhaseEngine(vm, threads, false));
        try (ComparingEngine engine = new ComparingEngine(vm, candidates)) {
            ChainRunner runner = new ChainRunner(gen.config(), new InMemoryStateStore(), engine, new BlockPreparer(null));
            for (ChainEvent e : events) {
                runner.process(e);
            }
            assertThat(runner.tipHeight()).isEqualTo(options.blocks());
            assertThat(engine.blocksCompared).isGreaterThanOrEqualTo(options.blocks());
        }
    }
}
