package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.InstancePolicy;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import io.bitquan.flow.wasm.workload.ContractChainGenerator;
import io.bitquan.flow.wasm.workload.ContractGeneratorOptions;
import io.bitquan.flow.wasm.workload.ContractWorkload;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Every engine registered in {@link Engines#NAMES} (whatever it holds when the test runs) and
 * both execution modes give, block by block, the sequential engine's accepted flags, state roots
 * and receipts (statuses, fees, gas, events) on every contract workload.
 */
class ContractDifferentialTest {

    /** Per block: header id, accepted, state root, receipts root, and the receipts in text. */
    static List<String> run(List<ChainEvent> events, ContractChainGenerator gen, String engine, int threads, ExecutionMode mode) {
        return run(events, gen, engine, threads, mode, InstancePolicy.DEFAULT);
    }

    static List<String> run(List<ChainEvent> events, ContractChainGenerator gen, String engine, int threads, ExecutionMode mode,
                            InstancePolicy policy) {
        List<String> out = new ArrayList<>();
        try (ExecutionEngine e = Engines.create(engine, threads, new ChainVm(new WasmContractRuntime(mode, policy)))) {
            ChainRunner runner = new ChainRunner(gen.config(), new InMemoryStateStore(), e, new BlockPreparer(null));
            for (ChainEvent event : events) {
                BlockReport r = runner.process(event);
                StringBuilder sb = new StringBuilder(r.line());
                if (!r.accepted()) {
                    sb.append(" ").append(r.violation());
                }
                for (Receipt receipt : r.receipts()) {
                    sb.append("\n  ").append(receipt.getTxIndex()).append(' ').append(receipt.getStatus())
                            .append(" fee=").append(receipt.getFee()).append(" gas=").append(receipt.getGasUsed())
                            .append(" events=").append(receipt.getEvents().size());
                }
                out.add(sb.toString());
            }
            out.add("root " + Bytes.hex(runner.stateRoot()));
        }
        return out;
    }

    static void assertAllEnginesAgree(ContractGeneratorOptions options, int threads) {
        ContractChainGenerator gen = new ContractChainGenerator(options);
        List<ChainEvent> events = gen.generateAll();
        List<String> reference = run(events, gen, "sequential", 1, ExecutionMode.COMPILED);
        assertThat(reference).allSatisfy(block -> assertThat(block).doesNotContain("rejected"));
        assertThat(String.join("\n", reference)).doesNotContain("revert").doesNotContain("trap").doesNotContain("out-of-gas");
        // Sequential again, and under the interpreter: gas and everything else identical.
        assertThat(run(events, gen, "sequential", 1, ExecutionMode.COMPILED)).isEqualTo(reference);
        assertThat(run(events, gen, "sequential", 1, ExecutionMode.INTERPRETED)).isEqualTo(reference);
        for (String engine : Engines.NAMES) {
            assertThat(run(events, gen, engine, threads, ExecutionMode.COMPILED)).as(engine + " x" + threads).isEqualTo(reference);
        }
    }

    @Test
    void tokenWithFewHoldersIsHighlyContended() {
        assertAllEnginesAgree(ContractGeneratorOptions.of(11, 3, 120, ContractWorkload.TOKEN, 5), 2);
    }

    @Test
    void tokenWithManyHolders() {
        assertAllEnginesAgree(ContractGeneratorOptions.of(12, 3, 150, ContractWorkload.TOKEN, 200), 2);
    }

    @Test
    void counterOnOneHotSlot() {
        assertAllEnginesAgree(ContractGeneratorOptions.of(13, 3, 100, ContractWorkload.COUNTER, 20), 2);
    }

    @Test
    void ammPool() {
        assertAllEnginesAgree(ContractGeneratorOptions.of(14, 3, 100, ContractWorkload.AMM, 20), 2);
    }

    @Property(tries = 6)
    void anyContractChainAgrees(@ForAll("workloads") ContractWorkload workload, @ForAll @IntRange(min = 2, max = 60) int holders,
                                @ForAll @IntRange(min = 1, max = 80) int txs, @ForAll @IntRange(min = 1, max = 4) int threads,
                                @ForAll @IntRange(min = 0, max = 1000) int seed) {
        assertAllEnginesAgree(ContractGeneratorOptions.of(seed, 2, txs, workload, holders), threads);
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<ContractWorkload> workloads() {
        return net.jqwik.api.Arbitraries.of(ContractWorkload.class);
    }
}
