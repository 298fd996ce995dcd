package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.InvalidKind;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/**
 * {@link ChainRunner#processAhead} (the next block decoded and verified on the pool while this one
 * runs) decides every event exactly as the sequential reference does one event at a time without
 * a pool: invalid variants (a bad signature among them), reorgs, a body that cannot be decoded,
 * a block seen twice, at pool sizes 1, 2, 3, 8 and 16; and under assume-valid it skips and counts
 * exactly the blocks the reference does.
 */
class ChainRunnerAheadTest {
    private static final int[] POOLS = {1, 2, 3, 8, 16};

    private static final ChainGenerator GENERATOR = new ChainGenerator(new GeneratorOptions(7, 12, 70, Workload.MIXED, 60, 3,
            SignatureScheme.ED25519, 4, 1));

    /** 70 txs a block: above the preparer's thresholds for a parallel decode (64) and verification (8). */
    private static List<ChainEvent> chain() {
        ChainGenerator generator = new ChainGenerator(new GeneratorOptions(7, 12, 70, Workload.MIXED, 60, 3,
                SignatureScheme.ED25519, 4, 1));
        List<ChainEvent> events = new ArrayList<>(generator.generateAll());
        assertThat(generator.invalidVariants()).extracting(ChainGenerator.InvalidVariant::kind).contains(InvalidKind.BAD_SIGNATURE);
        // a copy of a block whose body cannot be decoded (its header id is the real block's), then the same
        // block again (a duplicate), both right before the real one
        int at = indexOfConnected(events, 5);
        Block real = ((BlockConnected) events.get(at).getEvent()).getBlock();
        List<Transaction> txs = new ArrayList<>(real.getTransactions());
        txs.set(66, new Transaction("undecodable"));
        Block broken = Block.newBuilder(real).setTransactions(txs).build();
        events.add(at, connected(broken));
        events.add(at + 2, connected(real));
        return events;
    }

    private static int indexOfConnected(List<ChainEvent> events, int n) {
        int seen = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getEvent() instanceof BlockConnected && seen++ == n) {
                return i;
            }
        }
        throw new AssertionError("fewer than " + n + " connects");
    }

    private static ChainEvent connected(Block block) {
        return ChainEvent.newBuilder().setEvent(BlockConnected.newBuilder().setBlock(block).build()).build();
    }

    private static ChainRunner runner(List<ChainEvent> events, BlockPreparer preparer) {
        // the genesis depends on the options only (not on what was generated): the same for every generator of them
        return new ChainRunner(GENERATOR.config(), new InMemoryStateStore(), new SequentialEngine(new ChainVm()), preparer);
    }

    private static List<String> reference(List<ChainEvent> events, BlockPreparer preparer) {
        ChainRunner runner = runner(events, preparer);
        List<String> lines = new ArrayList<>();
        for (ChainEvent e : events) {
            runner.processAll(e).forEach(r -> lines.add(r.line()));
        }
        return lines;
    }

    private static List<String> ahead(List<ChainEvent> events, BlockPreparer preparer) {
        ChainRunner runner = runner(events, preparer);
        List<String> lines = new ArrayList<>();
        runner.processAhead(events, reports -> reports.forEach(r -> lines.add(r.line())));
        return lines;
    }

    @Test
    void decidesEveryEventAsTheSequentialReference() {
        List<ChainEvent> events = chain();
        List<String> expected = reference(events, new BlockPreparer(null));
        assertThat(expected).anyMatch(l -> l.contains("rejected rule=" + Rule.SIGNATURE_INVALID.id()));
        assertThat(expected).anyMatch(l -> l.contains("rejected rule=" + Rule.TX_MALFORMED.id()));
        for (int threads : POOLS) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                for (int run = 0; run < 3; run++) {
                    assertThat(ahead(events, new BlockPreparer(pool))).as("pool of %d, run %d", threads, run).isEqualTo(expected);
                }
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void underAssumeValidSkipsAndCountsExactlyTheReferenceBlocks() {
        List<ChainEvent> events = chain();
        ChainRunner full = runner(events, new BlockPreparer(null));
        events.forEach(full::processAll);
        AssumeValid.Headers headers = new AssumeValid.Headers();
        for (ChainEvent e : events) {
            if (e.getEvent() instanceof BlockConnected c) {
                headers.add(c.getBlock().getHeader());
            }
        }
        AssumeValid av = headers.ancestorsOf(full.tipId());
        BlockPreparer sequential = new BlockPreparer(null, av);
        List<String> expected = reference(events, sequential);
        assertThat(sequential.assumedValidBlocks()).isPositive();
        for (int threads : POOLS) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                BlockPreparer preparer = new BlockPreparer(pool, av);
                assertThat(ahead(events, preparer)).as("pool of %d", threads).isEqualTo(expected);
                assertThat(preparer.assumedValidBlocks()).isEqualTo(sequential.assumedValidBlocks());
            } finally {
                pool.shutdown();
            }
        }
    }
}
