package io.bitquan.flow.operators.prepare;

import io.bitquan.flow.execution.chain.AssumeValid;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.commit.MerkleSubtrees;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.SignatureRules;
import io.bitquan.flow.model.rules.StructureRules;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;

/**
 * The parallel prepare stage (stateless, runs after a keyBy that spreads chunks over subtasks):
 * decodes a chunk's transactions, computes their ids and hashes, verifies every signature with
 * the chain's scheme (the stage where signature cost scales out) and predicts access sets. The
 * lowest failing index of the chunk is reported, so the block's first failing signature is the
 * same whatever the chunking, as in {@code BlockPreparer}.
 *
 * <p>Each transaction first passes the validation boundary ({@link StructureRules}); a malformed
 * one is neither verified nor used for access prediction (its block is rejected as
 * {@code tx-malformed} by the executor's structure check, before any signature verdict counts),
 * so no state key is built from an unchecked field here.
 *
 * <p>With a scheme whose signatures are large (ML-DSA-65), a chunk whose every transaction is
 * well formed leaves without its signatures ({@link Witnesses}): the executor needs only the verdict.
 *
 * <p>The chunk's subtree roots of the block's tx root ({@link MerkleSubtrees}) are computed here
 * too, from the hashes just computed, so the executor's serial thread only combines them.
 *
 * <p>Assume-valid replay (docs/ASSUME-VALID.md): the signatures of a chunk whose block is in the
 * {@link AssumeValid} set (computed headers-first, before the job starts) are not verified.
 */
public final class TxPreparer extends RichMapFunction<BlockPart, BlockPart> {
    private static final long serialVersionUID = 1L;

    private final ChainCatalog catalog;
    private final AssumeValid assumeValid;
    private transient Counter verified;

    public TxPreparer(ChainCatalog catalog) {
        this(catalog, AssumeValid.NONE);
    }

    public TxPreparer(ChainCatalog catalog, AssumeValid assumeValid) {
        this.catalog = catalog;
        this.assumeValid = assumeValid;
    }

    @Override
    public void open(OpenContext context) {
        verified = preparedCounter(getRuntimeContext().getMetricGroup());
    }

    /** The stage's "transactionsPrepared" counter (the sync and the async stage report the same metric). */
    static Counter preparedCounter(org.apache.flink.metrics.MetricGroup group) {
        return group.counter("transactionsPrepared");
    }

    @Override
    public BlockPart map(BlockPart chunk) {
        BlockPart out = prepare(chunk, catalog.config(chunk.chainId), assumeValid);
        verified.inc(Blobs.unpack(out.txIds).size());
        return out;
    }

    public static BlockPart prepare(BlockPart chunk, ChainConfig config) {
        return prepare(chunk, config, AssumeValid.NONE);
    }

    public static BlockPart prepare(BlockPart chunk, ChainConfig config, AssumeValid assumeValid) {
        return prepare(chunk, config, assumeValid, Witnesses.pays(config.scheme()));
    }

    /** @param stripWitnesses whether a well-formed chunk leaves without its signatures (tests and measurements choose) */
    public static BlockPart prepare(BlockPart chunk, ChainConfig config, AssumeValid assumeValid, boolean stripWitnesses) {
        boolean verify = !assumeValid.skipsSignatures(chunk.blockId);
        int[] encoded = Blobs.ranges(chunk.txs); // decoded in place, no copy of each transaction first
        int count = encoded.length / 2;
        List<byte[]> ids = new ArrayList<>(count);
        List<byte[]> hashes = new ArrayList<>(count);
        List<byte[]> predicted = new ArrayList<>(count * 2);
        List<byte[]> stripped = new ArrayList<>(count);
        boolean strip = stripWitnesses; // until a transaction is malformed: then the chunk goes as sent
        BlockPart out = copyChunk(chunk);
        for (int j = 0; j < count; j++) {
            Transaction tx = AvroBinary.decode(Transaction.getClassSchema(), chunk.txs, encoded[2 * j], encoded[2 * j + 1]);
            PreparedTx ptx = PreparedTx.of(chunk.firstTx + j, tx);
            ids.add(ptx.txId());
            hashes.add(ptx.txHash());
            if (StructureRules.checkTransaction(tx, ptx.index(), config) != null) {
                strip = false;
                continue;
            }
            if (verify && out.sigViolationTx < 0) {
                RuleViolation v = SignatureRules.check(ptx, config.chainId(), config.scheme());
                if (v != null) {
                    out.sigViolationTx = ptx.index();
                    out.rule = v.rule().id();
                    out.reason = v.getMessage();
                }
            }
            for (StateKey k : AccessPrediction.predict(tx)) {
                predicted.add(k.encodedUnsafe()); // Blobs.pack copies it
            }
            if (strip) {
                Witnesses.strip(tx); // ids, hashes, verdict and prediction are taken: the executor needs no signature
                stripped.add(AvroBinary.encode(tx));
            }
        }
        if (strip) {
            out.txs = Blobs.pack(stripped);
            out.strippedSignatureBytes = config.scheme().signatureBytes();
        }
        out.txIds = Blobs.pack(ids);
        out.txHashes = Blobs.pack(hashes);
        // The chunk's share of the block's tx root (the executor combines the chunks' tiles; it
        // was ~15 % of the executor's serial thread when it hashed every transaction there).
        out.txRootTiles = Blobs.pack(MerkleSubtrees.roots(chunk.firstTx, hashes));
        out.predictedKeys = Blobs.pack(predicted);
        return out;
    }

    private static BlockPart copyChunk(BlockPart chunk) {
        BlockPart out = BlockPart.of(BlockPart.Kind.PREPARED, chunk.chainId, chunk.seq);
        out.height = chunk.height;
        out.chunkIndex = chunk.chunkIndex;
        out.firstTx = chunk.firstTx;
        out.txs = chunk.txs;
        out.sigViolationTx = -1;
        return out;
    }
}
