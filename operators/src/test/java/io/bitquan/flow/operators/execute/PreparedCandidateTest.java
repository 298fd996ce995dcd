package io.bitquan.flow.operators.execute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.bitquan.flow.execution.chain.PreparedBody;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.prepare.TxPreparer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Witness stripping from the preparer to the executor: a prepared chunk of well-formed
 * transactions leaves without its signatures, the executor's body is the block as sent but with
 * zero signatures of the scheme's length (so the structure check, ids and hashes are those of
 * the full block), a chunk with a malformed transaction keeps its bytes, a bad signature is still
 * the verdict, and the stored payload (VERSION 2, and VERSION 1 from before) round-trips.
 */
class PreparedCandidateTest {
    private static final GeneratorOptions OPTIONS =
            new GeneratorOptions(7, 3, 12, Workload.MIXED, 8, 0, SignatureScheme.ML_DSA_65);

    private static Block block(GeneratorOptions options, int height) {
        ChainGenerator g = new ChainGenerator(options);
        for (ChainEvent e : g.generateAll()) {
            if (e.getEvent() instanceof BlockConnected c && c.getBlock().getHeader().getHeight() == height) {
                return c.getBlock();
            }
        }
        throw new AssertionError("no block at " + height);
    }

    private static ChainConfig config(GeneratorOptions options) {
        return new ChainConfig(new ChainGenerator(options).genesis());
    }

    private static BlockPart start(Block block) {
        BlockPart start = BlockPart.of(BlockPart.Kind.START, block.getHeader().getChainId(), 1);
        start.height = block.getHeader().getHeight();
        start.header = AvroBinary.encode(block.getHeader());
        start.txCount = block.getTransactions().size();
        start.chunkCount = 2;
        return start;
    }

    /** The block in two chunks (the split point inside the transactions), prepared. */
    private static List<BlockPart> prepared(Block block, ChainConfig config) {
        List<Transaction> txs = block.getTransactions();
        int half = txs.size() / 2;
        return List.of(TxPreparer.prepare(chunk(block, 0, 0, txs.subList(0, half)), config),
                TxPreparer.prepare(chunk(block, 1, half, txs.subList(half, txs.size())), config));
    }

    private static BlockPart chunk(Block block, int index, int first, List<Transaction> txs) {
        BlockPart c = BlockPart.of(BlockPart.Kind.CHUNK, block.getHeader().getChainId(), 1);
        c.height = block.getHeader().getHeight();
        c.chunkIndex = index;
        c.firstTx = first;
        List<byte[]> encoded = new ArrayList<>();
        for (Transaction tx : txs) {
            encoded.add(AvroBinary.encode(tx));
        }
        c.txs = Blobs.pack(encoded);
        return c;
    }

    @Test
    void wellFormedChunksLeaveWithoutSignaturesAndTheExecutorSeesTheBlockAsSent() {
        Block block = block(OPTIONS, 2);
        ChainConfig config = config(OPTIONS);
        int sent = 0;
        for (Transaction tx : block.getTransactions()) {
            sent += AvroBinary.encode(tx).length;
        }
        List<BlockPart> chunks = prepared(block, config);
        int shipped = 0;
        for (BlockPart c : chunks) {
            assertThat(c.strippedSignatureBytes).isEqualTo(SignatureScheme.ML_DSA_65.signatureBytes());
            assertThat(c.sigViolationTx).isEqualTo(-1);
            shipped += c.txs.length;
        }
        assertThat(shipped).as("ML-DSA signatures are most of a transaction").isLessThan(sent / 2);

        PreparedBody body = new PreparedCandidate(start(block), chunks).body();
        assertThat(body.signatures().get()).isNull();
        assertThat(body.txs()).hasSize(block.getTransactions().size());
        for (int i = 0; i < body.txs().size(); i++) {
            Transaction original = block.getTransactions().get(i);
            PreparedTx ptx = body.txs().get(i);
            assertThat(ptx.index()).isEqualTo(i);
            assertThat(ptx.txId()).isEqualTo(TxCodec.txId(original));
            assertThat(ptx.txHash()).isEqualTo(TxCodec.txHash(original));
            assertThat(ptx.tx()).isEqualTo(withZeroSignatures(original, config.scheme().signatureBytes()));
        }
        Block asSeen = Block.newBuilder(block).setTransactions(body.txs().stream().map(PreparedTx::tx).toList()).build();
        assertThat(BlockRules.checkStructure(asSeen, body.txs(), config)).isNull();
        assertThat(TxCodec.txHash(body.txs().get(1).tx())).as("the placeholder is not the signature")
                .isNotEqualTo(body.txs().get(1).txHash());
    }

    @Test
    void aChunkWithAMalformedTransactionKeepsItsBytesAndTheStructureCheckFindsIt() {
        Block block = block(OPTIONS, 2);
        ChainConfig config = config(OPTIONS);
        List<Transaction> txs = new ArrayList<>(block.getTransactions());
        Transaction bad = Transaction.newBuilder(txs.get(txs.size() - 1)).build();
        setSignatures(bad, ByteBuffer.wrap(new byte[7]));
        txs.set(txs.size() - 1, bad);
        Block tampered = Block.newBuilder(block).setTransactions(txs).build();
        List<BlockPart> chunks = prepared(tampered, config);
        assertThat(chunks.get(0).strippedSignatureBytes).isEqualTo(config.scheme().signatureBytes());
        assertThat(chunks.get(1).strippedSignatureBytes).isZero();
        BlockPart sent = chunk(tampered, 1, txs.size() / 2, txs.subList(txs.size() / 2, txs.size()));
        assertThat(chunks.get(1).txs).isEqualTo(sent.txs);

        PreparedBody body = new PreparedCandidate(start(tampered), chunks).body();
        Block asSeen = Block.newBuilder(tampered).setTransactions(body.txs().stream().map(PreparedTx::tx).toList()).build();
        assertThat(BlockRules.checkStructure(asSeen, body.txs(), config)).isNotNull()
                .satisfies(v -> assertThat(v.rule()).isEqualTo(Rule.TX_MALFORMED))
                .satisfies(v -> assertThat(v.getMessage()).contains("tx " + (txs.size() - 1)).contains("signature"));
    }

    @Test
    void aBadSignatureIsStillTheVerdictOfAStrippedChunk() {
        Block block = block(OPTIONS, 2);
        ChainConfig config = config(OPTIONS);
        List<Transaction> txs = new ArrayList<>(block.getTransactions());
        int victim = txs.size() - 2;
        Transaction forged = Transaction.newBuilder(txs.get(victim)).build();
        setSignatures(forged, ByteBuffer.wrap(new byte[config.scheme().signatureBytes()]));
        txs.set(victim, forged);
        List<BlockPart> chunks = prepared(Block.newBuilder(block).setTransactions(txs).build(), config);
        assertThat(chunks.get(1).strippedSignatureBytes).isPositive();
        assertThat(chunks.get(1).sigViolationTx).isEqualTo(victim);
        var verdict = new PreparedCandidate(start(block), chunks).body().signatures().get();
        assertThat(verdict).isNotNull();
        assertThat(verdict.rule().id()).isEqualTo(chunks.get(1).rule);
    }

    @Test
    void theStoredPayloadRoundTripsAndAVersion1PayloadStillDecodes() {
        Block block = block(OPTIONS, 2);
        ChainConfig config = config(OPTIONS);
        List<BlockPart> chunks = prepared(block, config);
        PreparedCandidate candidate = new PreparedCandidate(start(block), chunks);
        PreparedCandidate back = PreparedCandidate.decode(config.chainId(), candidate.payload());
        assertThat(back.payload()).isEqualTo(candidate.payload());
        assertThat(back.headerId()).isEqualTo(candidate.headerId());
        assertSameBody(back.body(), candidate.body());

        // VERSION 1 (before witness stripping): chunks with their signatures, no stripped field
        List<BlockPart> full = new ArrayList<>();
        List<Transaction> txs = block.getTransactions();
        int half = txs.size() / 2;
        full.add(unstripped(chunks.get(0), chunk(block, 0, 0, txs.subList(0, half))));
        full.add(unstripped(chunks.get(1), chunk(block, 1, half, txs.subList(half, txs.size()))));
        BlockPart start = start(block);
        CanonicalWriter w = new CanonicalWriter(1024);
        w.bytes(start.header).i32(start.txCount).i32(full.size());
        for (BlockPart c : full) {
            w.i32(c.chunkIndex).i32(c.firstTx).bytes(c.txs).bytes(c.txIds).bytes(c.txHashes).bytes(c.predictedKeys)
                    .i32(c.sigViolationTx).bool(false).bool(false);
        }
        w.bool(false).bool(false).bool(false);
        PreparedCandidate v1 = PreparedCandidate.decode(config.chainId(), w.toByteArray());
        assertThat(v1.headerId()).isEqualTo(candidate.headerId());
        PreparedBody body = v1.body();
        for (int i = 0; i < txs.size(); i++) {
            assertThat(body.txs().get(i).tx()).isEqualTo(txs.get(i));
        }
        assertThat(body.txs().stream().map(PreparedTx::txHash).toList())
                .containsExactlyElementsOf(candidate.body().txs().stream().map(PreparedTx::txHash).toList());
    }

    private static BlockPart unstripped(BlockPart prepared, BlockPart sent) {
        BlockPart c = BlockPart.of(BlockPart.Kind.PREPARED, prepared.chainId, prepared.seq);
        c.chunkIndex = prepared.chunkIndex;
        c.firstTx = prepared.firstTx;
        c.txs = sent.txs;
        c.txIds = prepared.txIds;
        c.txHashes = prepared.txHashes;
        c.predictedKeys = prepared.predictedKeys;
        c.sigViolationTx = prepared.sigViolationTx;
        return c;
    }

    private static void assertSameBody(PreparedBody a, PreparedBody b) {
        assertThat(a.txs()).hasSameSizeAs(b.txs());
        for (int i = 0; i < a.txs().size(); i++) {
            assertThat(a.txs().get(i).tx()).isEqualTo(b.txs().get(i).tx());
            assertThat(a.txs().get(i).txId()).isEqualTo(b.txs().get(i).txId());
        }
        assertThat(a.predicted()).containsExactlyElementsOf(b.predicted());
    }

    private static Transaction withZeroSignatures(Transaction original, int length) {
        Transaction copy = Transaction.newBuilder(original).build();
        setSignatures(copy, ByteBuffer.wrap(new byte[length]));
        return copy;
    }

    private static void setSignatures(Transaction tx, ByteBuffer signature) {
        Object body = tx.getBody();
        if (body instanceof UtxoTransfer t) {
            List<TxInput> inputs = new ArrayList<>();
            for (TxInput in : t.getInputs()) {
                inputs.add(TxInput.newBuilder(in).setSignature(signature.duplicate()).build());
            }
            t.setInputs(inputs);
        } else if (body instanceof AccountTransfer t) {
            t.setSignature(signature.duplicate());
        } else if (body instanceof ContractDeploy t) {
            t.setSignature(signature.duplicate());
        } else if (body instanceof ContractCall t) {
            t.setSignature(signature.duplicate());
        }
    }

    /** Chunks decoded ahead on the helper thread give the body decoded in place: same txs, keys, root, verdict. */
    @Test
    void aBodyDecodedAheadEqualsTheBodyDecodedInPlace() {
        Block block = block(OPTIONS, 2);
        ChainConfig config = config(OPTIONS);
        List<BlockPart> chunks = prepared(block, config);
        PreparedBody inPlace = new PreparedCandidate(start(block), chunks).body();
        int created = 0;
        for (PreparedTx ptx : inPlace.txs()) {
            List<io.bitquan.flow.model.avro.TxOutput> outs = ptx.tx().getBody() instanceof UtxoTransfer t ? t.getOutputs()
                    : ptx.tx().getBody() instanceof io.bitquan.flow.model.avro.Coinbase cb ? cb.getOutputs() : List.of();
            for (int i = 0; i < outs.size(); i++) {
                assertThat(inPlace.predicted()).as("outputs the block creates are prefetched")
                        .contains(io.bitquan.flow.model.state.StateKey.utxo(ptx.txId(), i));
                created++;
            }
        }
        assertThat(created).isPositive();
        try (ChunkDecoder decoder = new ChunkDecoder()) {
            for (int round = 0; round < 3; round++) {
                chunks.forEach(decoder::submit);
                PreparedBody ahead = new PreparedCandidate(start(block), chunks, decoder).body();
                assertThat(ahead.txs()).hasSameSizeAs(inPlace.txs());
                for (int i = 0; i < inPlace.txs().size(); i++) {
                    assertThat(ahead.txs().get(i).index()).isEqualTo(inPlace.txs().get(i).index());
                    assertThat(ahead.txs().get(i).tx()).isEqualTo(inPlace.txs().get(i).tx());
                    assertThat(ahead.txs().get(i).txId()).isEqualTo(inPlace.txs().get(i).txId());
                    assertThat(ahead.txs().get(i).txHash()).isEqualTo(inPlace.txs().get(i).txHash());
                }
                assertThat(ahead.predicted()).containsExactlyElementsOf(inPlace.predicted());
                assertThat(ahead.txRoot()).isEqualTo(inPlace.txRoot()).isNotNull();
                assertThat(ahead.signatures().get()).isEqualTo(inPlace.signatures().get());
                assertThat(ahead.capsChecked()).isTrue();
                assertThat(decoder.held()).isZero();
            }

            // a chunk whose bytes cannot be decoded fails ahead exactly as in place (ChainCore: tx-malformed)
            BlockPart broken = BlockPart.of(BlockPart.Kind.PREPARED, chunks.get(1).chainId, 1);
            broken.chunkIndex = 1;
            broken.firstTx = chunks.get(1).firstTx;
            broken.txs = Blobs.pack(List.of(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}));
            broken.txIds = chunks.get(1).txIds;
            broken.txHashes = chunks.get(1).txHashes;
            List<BlockPart> bad = List.of(chunks.get(0), broken);
            Class<? extends Throwable> expected = catchThrowable(() -> new PreparedCandidate(start(block), bad).body()).getClass();
            bad.forEach(decoder::submit);
            assertThat(catchThrowable(() -> new PreparedCandidate(start(block), bad, decoder).body())).isExactlyInstanceOf(expected);

            // two broken chunks (this thread takes them from the last one back): the first one's
            // failure is thrown, as decoding in order throws it
            BlockPart alsoBroken = BlockPart.of(BlockPart.Kind.PREPARED, chunks.get(1).chainId, 1);
            alsoBroken.chunkIndex = 2;
            alsoBroken.firstTx = broken.firstTx + 1;
            alsoBroken.txs = chunks.get(0).txs;
            alsoBroken.txIds = Blobs.pack(List.of()); // no id for its first tx: fails differently from `broken`
            alsoBroken.txHashes = chunks.get(0).txHashes;
            List<BlockPart> twoBad = List.of(chunks.get(0), broken, alsoBroken);
            Throwable inOrder = catchThrowable(() -> new PreparedCandidate(start(block), twoBad).body());
            assertThat(catchThrowable(() -> new PreparedCandidate(start(block), List.of(alsoBroken)).body()))
                    .isNotExactlyInstanceOf(inOrder.getClass());
            twoBad.forEach(decoder::submit);
            Throwable ahead = catchThrowable(() -> new PreparedCandidate(start(block), twoBad, decoder).body());
            assertThat(ahead).isExactlyInstanceOf(inOrder.getClass()).hasMessage(inOrder.getMessage());

            // what was submitted and never taken (a block stored or rejected before its body) is dropped with its unit
            chunks.forEach(decoder::submit);
            decoder.forgetThrough(chunks.get(0).chainId, 0);
            assertThat(decoder.held()).isEqualTo(chunks.size());
            decoder.forgetThrough(chunks.get(0).chainId, 1);
            assertThat(decoder.held()).isZero();
        }
    }
}
