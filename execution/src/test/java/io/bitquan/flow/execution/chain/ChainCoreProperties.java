package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.testing.TestChain;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The chain core against a model: random connect / disconnect / sibling / re-sent sibling /
 * malleated / gap / invalid / non-tip disconnect steps over a block tree whose blocks are valid
 * on any branch (one transfer from account 1 per block, nonce = height - 1). After every step
 * the runner's tip is the model's and its state root equals a fresh sequential replay of the
 * model's active chain. The undo window is 3, so deep disconnects hit the window too.
 */
class ChainCoreProperties {
    private static final int WINDOW = 3;

    /** A block of the model tree. {@code undoPruned}: its undo record fell out of the window. */
    private static final class Node {
        final Block block;
        final byte[] id;
        final Node parent;
        final long height;
        boolean undoPruned;

        Node(Block block, Node parent) {
            this.block = block;
            this.id = BlockHashes.headerId(block.getHeader());
            this.parent = parent;
            this.height = block.getHeader().getHeight();
        }
    }

    private final TestChain t = new TestChain();

    private Block build(Node parent, int variant, boolean badNonce) {
        long height = parent == null ? 1 : parent.height + 1;
        byte[] parentId = parent == null ? t.config.genesisId() : parent.id;
        Transaction coinbase = TestChain.coinbase(height, t.config.subsidy(height), t.keys[variant % TestChain.KEYS].address());
        Transaction transfer = t.transfer(1, t.keys[2 + variant % 5].address(), 10 + variant, 1, badNonce ? height + 7 : height - 1);
        return t.block(height, parentId, List.of(coinbase, transfer));
    }

    /** Same header, different body: the transfer's amount changed, so the tx root no longer matches. */
    private Block malleate(Block block, Node parent, int variant) {
        long height = block.getHeader().getHeight();
        Transaction other = t.transfer(1, t.keys[2].address(), 999 + variant, 1, height - 1);
        return Block.newBuilder().setHeader(block.getHeader())
                .setTransactions(new ArrayList<>(List.of(block.getTransactions().get(0), other))).build();
    }

    private ChainRunner runner() {
        return new ChainRunner(t.config, new InMemoryStateStore(), new SequentialEngine(new ChainVm()), new BlockPreparer(null),
                new ChainLimits(WINDOW, 8, 1 << 20));
    }

    private byte[] replayRoot(List<Node> active) {
        ChainRunner fresh = runner();
        for (Node n : active) {
            assertThat(fresh.connect(n.block).accepted()).isTrue();
        }
        return fresh.stateRoot();
    }

    private static BlockDisconnected disconnectOf(Node n) {
        return BlockDisconnected.newBuilder().setChainId("test-chain").setHeight(n.height).setBlockId(Bytes.wrap(n.id)).build();
    }

    private static Node tip(List<Node> active) {
        return active.isEmpty() ? null : active.get(active.size() - 1);
    }

    private static void connected(List<Node> active, Node n) {
        active.add(n);
        n.undoPruned = false;
        int pruned = (int) n.height - WINDOW;
        if (pruned >= 1) {
            active.get(pruned - 1).undoPruned = true;
        }
    }

    @Property(tries = 30)
    void rootEqualsAFreshReplayOfTheActiveChainAfterEveryStep(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                               @ForAll @IntRange(min = 5, max = 22) int steps) {
        Random random = new Random(seed);
        ChainRunner runner = runner();
        List<Node> active = new ArrayList<>();
        List<Node> side = new ArrayList<>();
        List<Node> stored = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            Node tip = tip(active);
            // Distinct per step (a step uses variant and variant + 1): two blocks built from the same
            // parent with the same variant are one block, and the second connect is a DUPLICATE.
            int variant = 10 * step + random.nextInt(8);
            switch (random.nextInt(8)) {
                case 0, 1 -> {
                    Node n = new Node(build(tip, variant, false), tip);
                    assertThat(runner.connect(n.block).status()).isEqualTo(BlockReport.Status.CONNECTED);
                    connected(active, n);
                }
                case 2 -> {
                    // A sibling of the tip arrives: kept as a side branch, nothing changes.
                    if (tip == null) {
                        continue;
                    }
                    Node n = new Node(build(tip.parent, variant, false), tip.parent);
                    assertThat(runner.connect(n.block).status()).isEqualTo(BlockReport.Status.STORED);
                    side.add(n);
                    stored.add(n);
                    if (stored.size() > 8) {
                        stored.remove(0);
                    }
                }
                case 3 -> {
                    if (tip == null) {
                        continue;
                    }
                    BlockReport r = runner.disconnect(disconnectOf(tip));
                    if (tip.undoPruned) {
                        assertThat(r.violation().rule()).isEqualTo(Rule.DISCONNECT_BEYOND_WINDOW);
                        assertThat(r.violation().getMessage()).contains("reorg-restore --fork-height " + (tip.height - 1));
                    } else {
                        assertThat(r.status()).isEqualTo(BlockReport.Status.DISCONNECTED);
                        active.remove(active.size() - 1);
                        side.add(tip);
                    }
                }
                case 4 -> {
                    // Re-sent connect of a block seen before (sibling or disconnected) whose parent is the tip.
                    Node again = side.stream().filter(s -> s.parent == tip).findFirst().orElse(null);
                    if (again == null) {
                        continue;
                    }
                    assertThat(runner.connect(again.block).status()).isEqualTo(BlockReport.Status.CONNECTED);
                    side.remove(again);
                    stored.remove(again);
                    connected(active, again);
                }
                case 5 -> {
                    // A malleated body first (rejected, header not condemned), then the real block applies.
                    Node n = new Node(build(tip, variant, false), tip);
                    BlockReport bad = runner.connect(malleate(n.block, tip, variant));
                    assertThat(bad.violation().rule()).isEqualTo(Rule.TX_ROOT_MISMATCH);
                    assertThat(runner.connect(n.block).status()).isEqualTo(BlockReport.Status.CONNECTED);
                    connected(active, n);
                }
                case 6 -> {
                    // A gap: the grandchild waits, the child fills the gap and releases it.
                    Node child = new Node(build(tip, variant, false), tip);
                    Node grandchild = new Node(build(child, variant + 1, false), child);
                    assertThat(runner.connect(grandchild.block).status()).isEqualTo(BlockReport.Status.STORED);
                    if (stored.size() + 1 > 8) {
                        stored.remove(0); // the grandchild pushed the oldest stored sibling out
                    }
                    List<BlockReport> reports = runner.connectAll(child.block);
                    assertThat(reports).extracting(BlockReport::status)
                            .containsExactly(BlockReport.Status.CONNECTED, BlockReport.Status.CONNECTED);
                    connected(active, child);
                    connected(active, grandchild);
                }
                default -> {
                    // Invalid by consensus: condemned, and so is its child; or a non-tip disconnect.
                    if (random.nextBoolean() && tip != null && tip.parent != null) {
                        BlockReport r = runner.disconnect(disconnectOf(tip.parent));
                        assertThat(r.violation().rule()).isEqualTo(Rule.DISCONNECT_NOT_TIP);
                    } else {
                        Node bad = new Node(build(tip, variant, true), tip);
                        assertThat(runner.connect(bad.block).violation().rule()).isEqualTo(Rule.ACCOUNT_BAD_NONCE);
                        assertThat(runner.connect(bad.block).violation().rule()).isEqualTo(Rule.ACCOUNT_BAD_NONCE);
                        Block child = build(bad, variant, false);
                        assertThat(runner.connect(child).violation().rule()).isEqualTo(Rule.HEADER_PARENT);
                    }
                }
            }
            Node now = tip(active);
            assertThat(runner.tipId()).isEqualTo(now == null ? t.config.genesisId() : now.id);
            // the store holds exactly the siblings not sent again (oldest dropped beyond 8)
            assertThat(runner.storedBlocks()).isEqualTo(stored.size());
            assertThat(runner.stateRoot()).isEqualTo(replayRoot(active));
        }
    }

    /**
     * The sample that once failed: tip T and its stored sibling S share parent A; T and A are
     * disconnected, A is sent again; S must stay stored (the node decides what follows A), not be
     * applied on a guess.
     */
    @Example
    void reconnectingAParentDoesNotApplyAStoredSideBlockByItself() {
        rootEqualsAFreshReplayOfTheActiveChainAfterEveryStep(2743, 11);
    }

    @Property(tries = 5)
    void aReorgOntoABranchSeenEarlierAppliesItsStoredBlocks(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Random random = new Random(seed);
        ChainRunner runner = runner();
        Node a = new Node(build(null, random.nextInt(1000), false), null);
        Node b1 = new Node(build(a, random.nextInt(1000), false), a);
        Node c1 = new Node(build(a, 1000 + random.nextInt(1000), false), a);
        Node c2 = new Node(build(c1, random.nextInt(1000), false), c1);
        runner.connect(a.block);
        runner.connect(b1.block);
        assertThat(runner.connect(c1.block).status()).isEqualTo(BlockReport.Status.STORED);
        runner.disconnect(disconnectOf(b1));
        // The node relays only the new tip: the stored sibling applies first, then c2.
        assertThat(runner.connectAll(c2.block)).extracting(BlockReport::status)
                .containsExactly(BlockReport.Status.CONNECTED, BlockReport.Status.CONNECTED);
        assertThat(runner.tipId()).isEqualTo(c2.id);
        assertThat(runner.stateRoot()).isEqualTo(replayRoot(List.of(a, c1, c2)));
        assertThat(runner.storedBlocks()).isZero();
    }

    @Property(tries = 3)
    void waitingBlocksAreBoundedAndTheOldestIsDroppedWithAResult(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        ChainRunner runner = new ChainRunner(t.config, new InMemoryStateStore(), new SequentialEngine(new ChainVm()),
                new BlockPreparer(null), new ChainLimits(WINDOW, 2, 1 << 20));
        Random random = new Random(seed);
        Node a = new Node(build(null, random.nextInt(1000), false), null);
        Node b = new Node(build(a, random.nextInt(1000), false), a);
        Node c = new Node(build(b, random.nextInt(1000), false), b);
        Node d = new Node(build(c, random.nextInt(1000), false), c);
        assertThat(runner.connect(b.block).status()).isEqualTo(BlockReport.Status.STORED);
        assertThat(runner.connect(c.block).status()).isEqualTo(BlockReport.Status.STORED);
        List<BlockReport> third = runner.connectAll(d.block);
        assertThat(third).extracting(BlockReport::status).containsExactly(BlockReport.Status.STORED, BlockReport.Status.REJECTED);
        assertThat(third.get(1).headerId()).isEqualTo(b.id);
        assertThat(runner.storedBlocks()).isEqualTo(2);
        // The dropped block is not condemned: sent again in order, the whole chain applies.
        runner.connect(a.block);
        assertThat(runner.connectAll(b.block)).extracting(BlockReport::status)
                .containsExactly(BlockReport.Status.CONNECTED, BlockReport.Status.CONNECTED, BlockReport.Status.CONNECTED);
        assertThat(runner.tipId()).isEqualTo(d.id);
    }
}
