package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.InvalidKind;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.testing.TestChain;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Assume-valid replay: the ancestor set is exact, a replay skipping the signatures of the
 * canonical chain reaches the same roots as full verification, a bad signature off the
 * assume-valid chain is still rejected, and one on it is accepted (the documented consequence of
 * the trust model, as in Bitcoin Core) while a tampered signature on it is still caught by the tx root.
 */
class AssumeValidTest {

    private static byte[] id(int n) {
        byte[] id = new byte[32];
        id[0] = (byte) n;
        id[31] = (byte) (n * 7);
        return id;
    }

    @Test
    void ancestorsAreExactlyTheTargetAndTheChainBehindIt() {
        // genesis(0) <- 1 <- 2 <- 3, and a fork 1 <- 12 <- 13; 9 is known nowhere
        AssumeValid.Headers headers = new AssumeValid.Headers()
                .add(id(3), id(2)).add(id(13), id(12)).add(id(1), id(0)).add(id(2), id(1)).add(id(12), id(1));
        AssumeValid av = headers.ancestorsOf(id(3));
        assertThat(av.size()).isEqualTo(3);
        for (int n : new int[] {1, 2, 3}) {
            assertThat(av.skipsSignatures(id(n))).as("block %d", n).isTrue();
        }
        for (int n : new int[] {0, 12, 13, 9}) {
            assertThat(av.skipsSignatures(id(n))).as("block %d", n).isFalse();
        }
        assertThat(headers.ancestorsOf(id(12)).size()).isEqualTo(2);
        assertThat(headers.ancestorsOf(List.of(id(3), id(13))).size()).isEqualTo(5);
        assertThat(headers.ancestorsOf(id(9)).isEmpty()).isTrue();
        assertThat(AssumeValid.NONE.skipsSignatures(id(1))).isFalse();
        assertThat(av.skipsSignatures(null)).isFalse();
        assertThat(av.skipsSignatures(new byte[5])).isFalse();
    }

    @Test
    void parsesOnlyA32ByteHexId() {
        assertThat(AssumeValid.parseId("AB".repeat(32))).hasSize(32).containsOnly((byte) 0xab);
        assertThatThrownBy(() -> AssumeValid.parseId("ab")).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> AssumeValid.parseId("zz".repeat(32))).hasMessageContaining("64 hex digits");
    }

    @Test
    void replayOfAGeneratedChainGivesTheSameReportsAsFullVerification() {
        // invalid variants (one of them a bad signature) and reorg side branches are off the
        // canonical chain: they must be verified and decided exactly as before
        ChainGenerator generator = new ChainGenerator(new GeneratorOptions(5, 10, 20, Workload.MIXED, 50, 2,
                SignatureScheme.ED25519, 3, 1));
        List<ChainEvent> events = generator.generateAll();
        assertThat(generator.invalidVariants()).extracting(ChainGenerator.InvalidVariant::kind).contains(InvalidKind.BAD_SIGNATURE);

        ChainRunner full = runner(generator, new BlockPreparer(null));
        List<String> fullLines = lines(full, events);

        AssumeValid.Headers headers = new AssumeValid.Headers();
        for (ChainEvent e : events) {
            if (e.getEvent() instanceof BlockConnected c) {
                headers.add(c.getBlock().getHeader());
            }
        }
        AssumeValid av = headers.ancestorsOf(full.tipId());
        assertThat(av.size()).isEqualTo(10);
        BlockPreparer preparer = new BlockPreparer(null, av);
        ChainRunner replay = runner(generator, preparer);
        assertThat(lines(replay, events)).isEqualTo(fullLines);
        assertThat(replay.stateRoot()).isEqualTo(full.stateRoot());
        assertThat(preparer.assumedValidBlocks()).isEqualTo(10);
        assertThat(fullLines).anyMatch(l -> l.contains("rejected rule=" + Rule.SIGNATURE_INVALID.id()));
    }

    @Test
    void aBadSignatureIsAcceptedOnlyOnTheAssumeValidChainAndATamperedOneNever() {
        TestChain t = new TestChain();
        byte[] genesisId = t.runner.tipId();
        Block b1 = t.block(1, genesisId, List.of(TestChain.coinbase(1, t.config.subsidy(1), t.keys[0].address()),
                t.transfer(1, t.keys[2].address(), 10, 0, 0)));
        Block b2 = t.block(2, id(b1), List.of(TestChain.coinbase(2, t.config.subsidy(2), t.keys[0].address()),
                corrupted(t.transfer(3, t.keys[2].address(), 10, 0, 0), 0)));
        Block b3 = t.block(3, id(b2), List.of(TestChain.coinbase(3, t.config.subsidy(3), t.keys[0].address())));
        Block sibling = t.block(2, id(b1), List.of(TestChain.coinbase(2, t.config.subsidy(2), t.keys[0].address()),
                corrupted(t.transfer(4, t.keys[2].address(), 10, 0, 0), 0)));
        AssumeValid av = new AssumeValid.Headers().add(b1.getHeader()).add(b2.getHeader()).add(b3.getHeader())
                .add(sibling.getHeader()).ancestorsOf(id(b3));

        // full verification rejects b2 for its signature
        ChainRunner full = new ChainRunner(t.config, new InMemoryStateStore(), new SequentialEngine(new ChainVm()),
                new BlockPreparer(null));
        assertThat(full.connect(b1).accepted()).isTrue();
        assertThat(full.connect(b2).violation().rule()).isEqualTo(Rule.SIGNATURE_INVALID);

        // a bad signature off the assume-valid chain is still rejected
        ChainRunner offChain = new ChainRunner(t.config, new InMemoryStateStore(), new SequentialEngine(new ChainVm()),
                new BlockPreparer(null, av));
        assertThat(offChain.connect(b1).accepted()).isTrue();
        assertThat(offChain.connect(sibling).violation().rule()).isEqualTo(Rule.SIGNATURE_INVALID);

        // on it, the bad signature is assumed valid; but a body whose signature was changed after
        // the header was made does not match the header's tx root (the tx hash covers signatures)
        BlockPreparer preparer = new BlockPreparer(null, av);
        ChainRunner onChain = new ChainRunner(t.config, new InMemoryStateStore(), new SequentialEngine(new ChainVm()),
                preparer);
        assertThat(onChain.connect(b1).accepted()).isTrue();
        Block tampered = Block.newBuilder(b2).setTransactions(List.of(b2.getTransactions().get(0),
                corrupted(b2.getTransactions().get(1), 1))).build();
        assertThat(id(tampered)).isEqualTo(id(b2));
        assertThat(onChain.connect(tampered).violation().rule()).isEqualTo(Rule.TX_ROOT_MISMATCH);
        assertThat(onChain.connect(b2).accepted()).isTrue();
        assertThat(onChain.connect(b3).accepted()).isTrue();
        assertThat(preparer.assumedValidBlocks()).isEqualTo(3);
    }

    @Test
    void aHeaderWhoseExpectedRootDivergesIsStillAnAlarm() {
        TestChain t = new TestChain();
        Block plain = t.block(1, t.runner.tipId(), List.of(TestChain.coinbase(1, t.config.subsidy(1), t.keys[0].address())));
        byte[] wrongRoot = new byte[32];
        Block b1 = Block.newBuilder(plain).setHeader(io.bitquan.flow.model.avro.BlockHeader.newBuilder(plain.getHeader())
                .setExpectedStateRoot(Bytes.wrap(wrongRoot)).build()).build();
        BlockPreparer preparer = new BlockPreparer(null, new AssumeValid.Headers().add(b1.getHeader()).ancestorsOf(id(b1)));
        ChainRunner runner = new ChainRunner(t.config, new InMemoryStateStore(), new SequentialEngine(new ChainVm()), preparer);
        BlockReport report = runner.connect(b1);
        assertThat(preparer.assumedValidBlocks()).isEqualTo(1);
        assertThat(report.accepted()).isTrue();
        assertThat(report.divergence()).as("expected root differs from the computed one").isTrue();
    }

    private static ChainRunner runner(ChainGenerator generator, BlockPreparer preparer) {
        return new ChainRunner(generator.config(), new InMemoryStateStore(), new SequentialEngine(new ChainVm()), preparer);
    }

    private static List<String> lines(ChainRunner runner, List<ChainEvent> events) {
        List<String> lines = new ArrayList<>();
        for (ChainEvent e : events) {
            for (BlockReport r : runner.processAll(e)) {
                lines.add(r.line());
            }
        }
        return lines;
    }

    private static byte[] id(Block block) {
        return BlockHashes.headerId(block.getHeader());
    }

    /** The transfer with one signature byte flipped (deep copy: the original stays intact). */
    private static Transaction corrupted(Transaction tx, int at) {
        Transaction copy = Transaction.newBuilder(tx).build();
        AccountTransfer body = AccountTransfer.newBuilder((AccountTransfer) tx.getBody()).build();
        byte[] sig = Bytes.of(body.getSignature());
        sig[at] ^= 1;
        body.setSignature(Bytes.wrap(sig));
        copy.setBody(body);
        return copy;
    }
}
