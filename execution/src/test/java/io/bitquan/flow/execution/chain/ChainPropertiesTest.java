package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.UtxoEntry;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Whole-chain invariants on random generated chains, valid blocks and invalid variants mixed. */
class ChainPropertiesTest {

    private static ChainRunner run(ChainGenerator generator, List<ChainEvent> events, List<BlockReport> reports) {
        ChainRunner runner = new ChainRunner(generator.config(), new InMemoryStateStore(),
                new SequentialEngine(new ChainVm()), new BlockPreparer(null));
        for (ChainEvent event : events) {
            reports.add(runner.process(event));
        }
        return runner;
    }

    private static long totalMoney(InMemoryStateStore store) {
        long[] total = {0};
        store.forEach((key, value) -> {
            if (value instanceof UtxoEntry u) {
                total[0] += u.amount();
            } else if (value instanceof AccountState a) {
                total[0] += a.balance();
            }
        });
        return total[0];
    }

    @Property(tries = 25)
    void moneyIsConservedAndTheLatticeMatchesAFullRecompute(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll Workload workload,
            @ForAll @IntRange(min = 2, max = 40) int accounts,
            @ForAll @IntRange(min = 1, max = 4) int blocks,
            @ForAll @IntRange(min = 1, max = 40) int txs,
            @ForAll @IntRange(min = 0, max = 3) int invalidEvery) {
        ChainGenerator generator = new ChainGenerator(
                GeneratorOptions.of(seed, blocks, txs, workload).withAccounts(accounts).withInvalidEvery(invalidEvery));
        InMemoryStateStore genesisStore = new InMemoryStateStore();
        generator.config().loadGenesis(genesisStore);
        long genesisMoney = totalMoney(genesisStore);

        List<BlockReport> reports = new java.util.ArrayList<>();
        ChainRunner runner = run(generator, generator.generateAll(), reports);
        InMemoryStateStore store = (InMemoryStateStore) runner.store();

        // Money: every coinbase in generated chains claims exactly subsidy + fees, fees leave the
        // payers, so the total grows by exactly the subsidies of accepted blocks.
        long subsidies = 0;
        for (BlockReport r : reports) {
            if (r.accepted()) {
                subsidies += generator.config().subsidy(r.height());
            }
        }
        assertThat(totalMoney(store)).isEqualTo(genesisMoney + subsidies);

        // Every valid block applied, every invalid variant rejected with its intended rule.
        assertThat(runner.tipHeight()).isEqualTo(blocks);
        assertThat(reports.stream().filter(r -> !r.accepted()).map(r -> r.violation().rule()).toList())
                .isEqualTo(generator.invalidVariants().stream().map(v -> v.kind().expectedRule()).toList());

        // The incrementally maintained lattice equals one built from scratch over the final state.
        LtHash fromScratch = new LtHash();
        store.forEach(fromScratch::add);
        assertThat(runner.stateRoot()).isEqualTo(fromScratch.root());
    }

    @Property(tries = 10)
    void invalidVariantsDoNotChangeTheValidChain(
            @ForAll @LongRange(min = 0, max = 1_000_000) long seed,
            @ForAll Workload workload,
            @ForAll @IntRange(min = 1, max = 3) int invalidEvery) {
        GeneratorOptions plain = GeneratorOptions.of(seed, 4, 12, workload).withAccounts(10);
        ChainGenerator a = new ChainGenerator(plain);
        ChainGenerator b = new ChainGenerator(plain.withInvalidEvery(invalidEvery));
        ChainRunner ra = run(a, a.generateAll(), new java.util.ArrayList<>());
        ChainRunner rb = run(b, b.generateAll(), new java.util.ArrayList<>());
        assertThat(rb.stateRoot()).isEqualTo(ra.stateRoot());
        assertThat(rb.tipId()).isEqualTo(ra.tipId());
    }

    @Property(tries = 10)
    void sameSeedSameBytes(@ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll Workload workload) throws Exception {
        GeneratorOptions options = GeneratorOptions.of(seed, 3, 10, workload).withAccounts(7).withInvalidEvery(2);
        List<ChainEvent> first = new ChainGenerator(options).generateAll();
        List<ChainEvent> second = new ChainGenerator(options).generateAll();
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).toByteBuffer()).isEqualTo(first.get(i).toByteBuffer());
        }
    }

    @Property(tries = 10)
    void disconnectingEveryBlockReturnsToGenesis(@ForAll @LongRange(min = 0, max = 1_000_000) long seed, @ForAll Workload workload) {
        ChainGenerator generator = new ChainGenerator(GeneratorOptions.of(seed, 3, 15, workload).withAccounts(5));
        List<BlockReport> reports = new java.util.ArrayList<>();
        ChainRunner runner = run(generator, generator.generateAll(), reports);
        InMemoryStateStore genesisStore = new InMemoryStateStore();
        generator.config().loadGenesis(genesisStore);
        LtHash genesis = new LtHash();
        genesisStore.forEach(genesis::add);
        for (int i = reports.size() - 1; i >= 0; i--) {
            BlockReport r = reports.get(i);
            BlockReport undone = runner.disconnect(io.bitquan.flow.model.avro.BlockDisconnected.newBuilder()
                    .setChainId(r.chainId()).setHeight(r.height()).setBlockId(java.nio.ByteBuffer.wrap(r.headerId())).build());
            assertThat(undone.accepted()).isTrue();
            assertThat(undone.stateRoot()).isEqualTo(i == 0 ? genesis.root() : reports.get(i - 1).stateRoot());
        }
        assertThat(((InMemoryStateStore) runner.store()).size()).isEqualTo(genesisStore.size());
        assertThat(runner.stateRoot()).isEqualTo(genesis.root());
        assertThat(runner.store().read(StateKey.account(generator.keys().address(2)))).isEqualTo(genesisStore.read(StateKey.account(generator.keys().address(2))));
    }
}
