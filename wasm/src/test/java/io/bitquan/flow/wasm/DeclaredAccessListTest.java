package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.analysis.DependencyAnalyzer;
import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import io.bitquan.flow.wasm.workload.ContractChainGenerator;
import io.bitquan.flow.wasm.workload.ContractGeneratorOptions;
import io.bitquan.flow.wasm.workload.ContractWorkload;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Contract calls with declared access lists on Block-STM's predicted schedule: a block of calls
 * whose lists are exact runs each call once, scheduled, with the sequential result at every
 * thread count (1 to 16, oversubscribed); a list that misses a key the call touches voids the
 * scheduled run and the block still gets the sequential result, optimistically. Strict options
 * (no fallback hides a bug). Blocks are the second of a generated chain (the first deploys).
 */
class DeclaredAccessListTest {
    private static final int[] THREADS = {1, 2, 3, 8, 16};
    private final ChainVm vm = new ChainVm(new WasmContractRuntime());

    /** The last block of a chain, over the state its earlier blocks left. */
    private record LastBlock(BlockContext context, List<PreparedTx> txs, InMemoryStateStore base) {}

    private LastBlock lastBlock(ContractGeneratorOptions options) {
        ContractChainGenerator gen = new ContractChainGenerator(options);
        List<ChainEvent> events = gen.generateAll();
        InMemoryStateStore base = new InMemoryStateStore();
        try (SequentialEngine setup = new SequentialEngine(vm)) {
            ChainRunner runner = new ChainRunner(gen.config(), base, setup, new BlockPreparer(null));
            for (ChainEvent event : events.subList(0, events.size() - 1)) {
                assertThat(runner.process(event).accepted()).isTrue();
            }
        }
        Block block = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        BlockContext context = new BlockContext(gen.config(), block.getHeader().getHeight(), block.getHeader().getTimestamp());
        return new LastBlock(context, BlockPreparer.decode(block), base);
    }

    private static BlockStmEngine scheduled(TransactionVm vm, int threads) {
        return new BlockStmEngine(vm, BlockStmOptions.strict(threads, false).withPredictedSchedule(true));
    }

    @Test
    void listedBlocksRunEachCallOnceWithTheSequentialResult() {
        ContractGeneratorOptions[] chains = {
            ContractGeneratorOptions.of(31, 2, 300, ContractWorkload.TOKEN, 200).withAccessLists(true),
            ContractGeneratorOptions.of(32, 2, 300, ContractWorkload.TOKEN, 4).withAccessLists(true),
            ContractGeneratorOptions.of(33, 2, 200, ContractWorkload.AMM, 50).withAccessLists(true),
            ContractGeneratorOptions.of(34, 2, 200, ContractWorkload.COUNTER, 50).withAccessLists(true),
        };
        for (ContractGeneratorOptions options : chains) {
            LastBlock b = lastBlock(options);
            for (PreparedTx tx : b.txs()) {
                assertThat(DependencyAnalyzer.accessSet(tx).complete()).as("tx " + tx.index()).isTrue();
            }
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            assertThat(expected.accepted()).isTrue();
            assertThat(expected.outcomes()).allSatisfy(o -> assertThat(o.success()).isTrue());
            for (int threads : THREADS) {
                try (BlockStmEngine e = scheduled(vm, threads)) {
                    for (int rep = 0; rep < 2; rep++) {
                        BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                        String what = options.workload().id() + "/" + options.holders() + " x" + threads;
                        OutputAssertions.assertScheduledOnce(out, expected, b.txs().size(), what);
                    }
                }
            }
        }
    }

    /**
     * A listed token block large enough (over 4,096 written keys) that the schedule sorts its
     * write set in key ranges on the workers: one contract's storage slots all share their first
     * 8 bytes, so the ranges are cut on full keys; same writes, same order, as sequentially.
     */
    @Test
    void aLargeListedBlockSortsItsSharedPrefixWritesInRanges() {
        ContractGeneratorOptions options = ContractGeneratorOptions.of(39, 2, 4_500, ContractWorkload.TOKEN, 6_000).withAccessLists(true);
        LastBlock b = lastBlock(options);
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
        assertThat(expected.accepted()).isTrue();
        assertThat(expected.writes().size()).as("large enough to sort in ranges").isGreaterThan(4_096);
        for (int threads : new int[] {2, 3, 8}) {
            try (BlockStmEngine e = scheduled(vm, threads)) {
                OutputAssertions.assertScheduledOnce(e.execute(b.context(), b.txs(), b.base()), expected, b.txs().size(),
                        "token/6000 listed x" + threads);
            }
        }
    }

    /** The generator's option changes only the lists: same calls, same result, and off by default. */
    @Test
    void theListIsAHintThatChangesNoResult() {
        ContractGeneratorOptions plain = ContractGeneratorOptions.of(35, 2, 150, ContractWorkload.TOKEN, 30);
        assertThat(plain.declareAccessLists()).isFalse();
        LastBlock without = lastBlock(plain);
        LastBlock with = lastBlock(plain.withAccessLists(true));
        for (PreparedTx tx : without.txs()) {
            if (tx.body() instanceof ContractCall c) {
                assertThat(c.getAccessList()).isNull();
                assertThat(DependencyAnalyzer.accessSet(tx).complete()).isFalse();
            }
        }
        BlockOutput a = new SequentialEngine(vm).execute(without.context(), without.txs(), without.base());
        BlockOutput b = new SequentialEngine(vm).execute(with.context(), with.txs(), with.base());
        OutputAssertions.assertSameResult(b, a, "with lists vs without");
    }

    /**
     * Every 13th call "forgets" its recipient's balance slot: the first such call to run touches
     * a key outside its prediction, the scheduled run is void (its executions count as aborts)
     * and the block runs optimistically with the sequential result.
     */
    @Test
    void aListThatMissesATouchedKeyGivesTheSequentialResult() {
        LastBlock b = lastBlock(ContractGeneratorOptions.of(36, 2, 300, ContractWorkload.TOKEN, 100).withAccessLists(true));
        int damaged = 0;
        for (PreparedTx tx : b.txs()) {
            if (tx.body() instanceof ContractCall c && tx.index() % 13 == 5) {
                List<ByteBuffer> list = new ArrayList<>(c.getAccessList());
                assertThat(list).hasSize(2); // sender's and recipient's balance slots
                c.setAccessList(List.of(list.get(0)));
                damaged++;
            }
        }
        assertThat(damaged).isPositive();
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
        assertThat(expected.accepted()).isTrue();
        for (int threads : THREADS) {
            try (BlockStmEngine e = scheduled(vm, threads)) {
                BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                OutputAssertions.assertSameResult(out, expected, "missing key x" + threads);
                if (threads > 1) {
                    assertThat(out.stats().aborts()).as("the voided scheduled executions x" + threads).isPositive();
                } // one worker runs the block in order: no graph, so nothing to void
                assertThat(out.stats().fallbacks()).isZero();
            }
        }
    }

    /**
     * The keys the runtime touches on its own need no declaration: calls that move value (the
     * contract's account is credited) and calls to an address with no code (a failed receipt
     * after reading {@code CODE}) still run scheduled, once each, with the sequential result.
     */
    @Test
    void theRuntimesOwnKeysNeedNoDeclaration() {
        LastBlock b = lastBlock(ContractGeneratorOptions.of(38, 2, 200, ContractWorkload.TOKEN, 100).withAccessLists(true));
        byte[] nowhere = new byte[32];
        java.util.Arrays.fill(nowhere, (byte) 0x5A);
        for (PreparedTx tx : b.txs()) {
            if (tx.body() instanceof ContractCall c) {
                if (tx.index() % 7 == 3) {
                    c.setValue(1_000 + tx.index());
                } else if (tx.index() % 11 == 4) {
                    c.setContract(ByteBuffer.wrap(nowhere));
                }
            }
        }
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
        assertThat(expected.accepted()).isTrue();
        assertThat(expected.outcomes()).anyMatch(o -> !o.success()).anyMatch(o -> o.success());
        for (int threads : new int[] {1, 2, 8}) {
            try (BlockStmEngine e = scheduled(vm, threads)) {
                BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                OutputAssertions.assertSameResult(out, expected, "value and no-contract x" + threads);
                assertThat(out.stats().executions()).isEqualTo(b.txs().size());
                assertThat(out.stats().aborts()).isZero();
            }
        }
    }

    /** Listed calls are handed the schedule's view; the same calls without lists, Block-STM's memory. */
    @Test
    void listedCallsRunOnTheSchedule() {
        Set<String> views = ConcurrentHashMap.newKeySet();
        TransactionVm probe = (tx, ctx, state) -> {
            views.add(state.getClass().getSimpleName());
            return vm.execute(tx, ctx, state);
        };
        ContractGeneratorOptions plain = ContractGeneratorOptions.of(37, 2, 200, ContractWorkload.AMM, 40);
        for (boolean listed : new boolean[] {true, false}) {
            LastBlock b = lastBlock(plain.withAccessLists(listed));
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            views.clear();
            try (BlockStmEngine e = scheduled(probe, 2)) {
                OutputAssertions.assertSameResult(e.execute(b.context(), b.txs(), b.base()), expected, "listed " + listed);
            }
            assertThat(views).containsExactly(listed ? "ScheduledView" : "VersionedView");
        }
    }
}
