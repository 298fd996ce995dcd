package io.bitquan.flow.operators.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.ChainCore;
import io.bitquan.flow.execution.chain.ChainDecision;
import io.bitquan.flow.execution.chain.ChainLimits;
import io.bitquan.flow.execution.chain.MemoryChainStore;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.prepare.TxPreparer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The block's tx root from the preparers' per-chunk subtree roots ({@code BlockPart.txRootTiles},
 * combined in {@link PreparedCandidate#body()}): the same root as hashing every transaction, for
 * any chunking (sizes that are not powers of two included), and the same chain decisions: a body
 * that does not match its header (a transaction changed in one chunk, or transactions moved
 * between chunks) is rejected with the same rule, and a valid one connects, as when the executor
 * hashed every transaction itself.
 */
class TxRootTilesTest {
    private static final GeneratorOptions OPTIONS =
            new GeneratorOptions(11, 4, 37, Workload.MIXED, 16, 0, SignatureScheme.ED25519);

    private static List<Block> blocks() {
        List<Block> blocks = new ArrayList<>();
        for (ChainEvent e : new ChainGenerator(OPTIONS).generateAll()) {
            if (e.getEvent() instanceof BlockConnected c) {
                blocks.add(c.getBlock());
            }
        }
        return blocks;
    }

    private static ChainConfig config() {
        return new ChainConfig(new ChainGenerator(OPTIONS).genesis());
    }

    /** The block's transactions in chunks of {@code size} (the last one shorter), prepared. */
    private static PreparedCandidate candidate(Block block, ChainConfig config, int size) {
        List<Transaction> txs = block.getTransactions();
        List<BlockPart> chunks = new ArrayList<>();
        for (int first = 0, index = 0; first < txs.size(); first += size, index++) {
            BlockPart c = BlockPart.of(BlockPart.Kind.CHUNK, block.getHeader().getChainId(), 1);
            c.height = block.getHeader().getHeight();
            c.chunkIndex = index;
            c.firstTx = first;
            List<byte[]> encoded = new ArrayList<>();
            for (Transaction tx : txs.subList(first, Math.min(txs.size(), first + size))) {
                encoded.add(AvroBinary.encode(tx));
            }
            c.txs = Blobs.pack(encoded);
            chunks.add(TxPreparer.prepare(c, config));
        }
        BlockPart start = BlockPart.of(BlockPart.Kind.START, block.getHeader().getChainId(), 1);
        start.height = block.getHeader().getHeight();
        start.header = AvroBinary.encode(block.getHeader());
        start.txCount = txs.size();
        start.chunkCount = chunks.size();
        return new PreparedCandidate(start, chunks);
    }

    /** The same candidate as the executor received it before layout VERSION 3 (no tiles: it hashes). */
    private static PreparedCandidate withoutTiles(Block block, ChainConfig config, int size) {
        PreparedCandidate c = candidate(block, config, size);
        return PreparedCandidate.decode(block.getHeader().getChainId(), c.payload()); // the payload keeps no tiles
    }

    @Test
    void anyChunkingGivesTheHeadersTxRoot() {
        ChainConfig config = config();
        for (Block block : blocks()) {
            int n = block.getTransactions().size();
            for (int size : new int[] {1, 3, 5, 7, 16, 19, n / 2, n - 1, n, n + 4}) {
                if (size < 1) {
                    continue;
                }
                var body = candidate(block, config, size).body();
                assertThat(body.txRoot()).as("chunks of %d of %d", size, n)
                        .isEqualTo(BlockRules.txRoot(body.txs()))
                        .isEqualTo(Bytes.of(block.getHeader().getTxRoot()));
            }
            assertThat(withoutTiles(block, config, 7).body().txRoot()).as("no tiles: the core hashes").isNull();
        }
    }

    @Test
    void aBodyThatDoesNotMatchItsHeaderIsDecidedAsWhenTheExecutorHashedIt() {
        ChainConfig config = config();
        List<Block> blocks = blocks();
        Block last = blocks.get(blocks.size() - 1);
        List<Transaction> txs = last.getTransactions();
        // A transaction of one chunk replaced by another block's (well formed, another hash),
        // and two transactions swapped across a chunk boundary (same hashes, another order).
        List<Transaction> replaced = new ArrayList<>(txs);
        replaced.set(txs.size() - 2, blocks.get(blocks.size() - 2).getTransactions().get(3));
        List<Transaction> swapped = new ArrayList<>(txs);
        swapped.set(6, txs.get(7));
        swapped.set(7, txs.get(6));
        for (List<Transaction> body : List.of(replaced, swapped)) {
            Block tampered = Block.newBuilder(last).setTransactions(body).build();
            List<ChainDecision> withTiles = run(blocks, tampered, config, true);
            List<ChainDecision> hashed = run(blocks, tampered, config, false);
            assertThat(withTiles).hasSize(1);
            ChainDecision.Rejected r = (ChainDecision.Rejected) withTiles.get(0);
            assertThat(r.violation().rule()).isEqualTo(Rule.TX_ROOT_MISMATCH);
            assertThat(r.condemned()).isFalse();
            ChainDecision.Rejected h = (ChainDecision.Rejected) hashed.get(0);
            assertThat(r.violation().getMessage()).isEqualTo(h.violation().getMessage());
            assertThat(r.condemned()).isEqualTo(h.condemned());
        }
        List<ChainDecision> valid = run(blocks, last, config, true);
        assertThat(valid).singleElement().isInstanceOf(ChainDecision.Connected.class);
    }

    /** Connects every block before {@code blocks}' last, then {@code block}, chunks of 7; returns the last decisions. */
    private static List<ChainDecision> run(List<Block> blocks, Block block, ChainConfig config, boolean tiles) {
        ChainCore core = new ChainCore(config, new MemoryChainStore(new InMemoryStateStore()),
                Engines.create("sequential", 1, new ChainVm()), ChainLimits.defaults(),
                payload -> PreparedCandidate.decode(config.chainId(), payload));
        core.initialize();
        for (Block b : blocks.subList(0, blocks.size() - 1)) {
            assertThat(core.connect(candidate(b, config, 7))).singleElement().isInstanceOf(ChainDecision.Connected.class);
        }
        return core.connect(tiles ? candidate(block, config, 7) : withoutTiles(block, config, 7));
    }
}
