package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.Candidate;
import io.bitquan.flow.execution.chain.PreparedBody;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.commit.MerkleSubtrees;
import io.bitquan.flow.model.rules.BlockLimits;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.prepare.Witnesses;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A block as the job offers it to the chain core: the sequencer's START and the preparers'
 * PREPARED chunks (ids, hashes, signature verdicts and predicted keys computed in parallel).
 * Its payload, kept when the core stores the block, is those parts re-encoded (VERSION 2; a
 * VERSION 1 payload, stored before witness stripping, still decodes).
 *
 * <p>VERSION 1: header, txCount, chunk count, per chunk (index, firstTx, txs, txIds, txHashes,
 * predictedKeys, sigViolationTx, rule, reason), then START's rule, reason, bodyMatchesHeader.
 * VERSION 2: the i32 {@code -2} first (a VERSION 1 payload starts with the header's length,
 * never negative), then VERSION 1 with each chunk's {@code strippedSignatureBytes} after its
 * reason.
 */
final class PreparedCandidate implements Candidate {
    private final BlockPart start;
    private final List<BlockPart> chunks;
    private final BlockHeader header;
    /** Chunks decoded ahead on a helper thread, or null (each chunk decoded here, on demand). */
    private final ChunkDecoder decoder;
    private byte[] headerId;

    PreparedCandidate(BlockPart start, List<BlockPart> chunks) {
        this(start, chunks, null);
    }

    PreparedCandidate(BlockPart start, List<BlockPart> chunks, ChunkDecoder decoder) {
        this.start = start;
        this.chunks = chunks;
        this.decoder = decoder;
        this.header = AvroBinary.decode(BlockHeader.getClassSchema(), start.header);
    }

    @Override
    public BlockHeader header() {
        return header;
    }

    @Override
    public byte[] headerId() {
        if (headerId == null) {
            headerId = BlockHashes.headerId(header);
        }
        return headerId;
    }

    @Override
    public int txCount() {
        return start.txCount;
    }

    /** One chunk's transactions decoded, with its ids, hashes, predicted keys and tx-root tiles (null: none). */
    record DecodedChunk(List<PreparedTx> txs, List<StateKey> predicted, List<StateKey> inTxOrder, List<byte[]> tiles) {}

    /**
     * Decodes one chunk, in the order {@link #body} always did (a chunk that fails, fails with the
     * same exception wherever it is decoded). Pure: any thread (the executor's {@link ChunkDecoder}).
     */
    static DecodedChunk decode(BlockPart chunk) {
        int[] encoded = Blobs.ranges(chunk.txs); // decoded in place
        int count = encoded.length / 2;
        List<byte[]> tiles = chunk.txRootTiles == null ? null : Blobs.unpack(chunk.txRootTiles);
        List<byte[]> ids = Blobs.unpack(chunk.txIds);
        List<byte[]> hashes = Blobs.unpack(chunk.txHashes);
        List<PreparedTx> txs = new ArrayList<>(count);
        for (int j = 0; j < count; j++) {
            Transaction tx = AvroBinary.decode(Transaction.getClassSchema(), chunk.txs, encoded[2 * j], encoded[2 * j + 1]);
            if (chunk.strippedSignatureBytes > 0) {
                Witnesses.restore(tx, chunk.strippedSignatureBytes);
            }
            txs.add(new PreparedTx(chunk.firstTx + j, tx, ids.get(j), hashes.get(j)));
        }
        List<byte[]> packedKeys = Blobs.unpack(chunk.predictedKeys);
        List<StateKey> predicted = new ArrayList<>(packedKeys.size() + 2 * count);
        for (byte[] k : packedKeys) {
            predicted.add(StateKey.decode(k));
        }
        addCreatedOutputs(txs, predicted);
        // hashed and sorted here (the helper thread, when decoded ahead): the block's key set is
        // then a merge of sorted runs on the task thread (SortedKeys), and the hashes the
        // prefetch's lookups and the commitment buckets use are computed already; the keys as
        // the transactions name them (their order) are kept for the prefetch
        for (StateKey k : predicted) {
            k.hashCode();
        }
        List<StateKey> sorted = new ArrayList<>(predicted);
        sorted.sort(null);
        return new DecodedChunk(txs, sorted, predicted, tiles);
    }

    /**
     * The outputs the chunk's transactions create ({@code utxo(txId, i)}): the engine reads each
     * one before writing it (BIP30: no output overwrites an unspent one) and the commit writes it,
     * so they belong in the prefetch too. Read there, on the prefetch thread while the block
     * executes, instead of one by one as misses by the engine and again by the commit on the task
     * thread. A hint like the preparers' keys (kept executor-side: no more bytes per chunk); a
     * malformed transaction adds nothing (it fails the structure check).
     */
    private static void addCreatedOutputs(List<PreparedTx> txs, List<StateKey> predicted) {
        for (PreparedTx ptx : txs) {
            Object body = ptx.tx().getBody();
            List<TxOutput> outputs = body instanceof UtxoTransfer t ? t.getOutputs()
                    : body instanceof Coinbase cb ? cb.getOutputs() : null;
            if (outputs == null || ptx.txId() == null || ptx.txId().length != StateKey.ADDRESS_BYTES
                    || outputs.size() > BlockLimits.MAX_TX_OUTPUTS) {
                continue;
            }
            for (int i = 0; i < outputs.size(); i++) {
                predicted.add(StateKey.utxo(ptx.txId(), i));
            }
        }
    }

    /** Decodes the chunks' transactions; the first chunk with a bad signature has the lowest index. */
    @Override
    public PreparedBody body() {
        if (start.rule != null) {
            return PreparedBody.overCaps(new RuleViolation(Rule.fromId(start.rule), start.reason), start.bodyMatchesHeader);
        }
        List<PreparedTx> prepared = new ArrayList<>(start.txCount);
        List<List<StateKey>> predicted = new ArrayList<>(chunks.size());
        List<List<StateKey>> inTxOrder = new ArrayList<>(chunks.size());
        RuleViolation signature = null;
        List<int[]> ranges = new ArrayList<>(chunks.size());
        List<List<byte[]>> tiles = new ArrayList<>(chunks.size());
        DecodedChunk[] decoded = decodeAll();
        for (int c = 0; c < chunks.size(); c++) {
            BlockPart chunk = chunks.get(c);
            DecodedChunk d = decoded[c];
            ranges.add(new int[] {chunk.firstTx, d.txs().size()});
            tiles.add(d.tiles());
            prepared.addAll(d.txs());
            predicted.add(d.predicted());
            inTxOrder.add(d.inTxOrder());
            if (signature == null && chunk.sigViolationTx >= 0) {
                signature = new RuleViolation(Rule.fromId(chunk.rule), chunk.reason);
            }
        }
        RuleViolation verdict = signature;
        // START without a rule: the sequencer's caps held on the bytes as sent (BlockSlices.blockBytes),
        // never fewer than the canonical encoding's (restored witnesses have the stripped ones' length)
        return new PreparedBody(prepared, null, () -> verdict, SortedKeys.union(predicted, inTxOrder), null, false,
                txRoot(prepared.size(), ranges, tiles), true);
    }

    /**
     * Every chunk decoded. With the helper ({@link ChunkDecoder}, which decodes chunks in the order
     * they arrived) this thread takes them from the last one back, decoding in place each one the
     * helper has not started: both decode the block at once, meeting in the middle, instead of this
     * thread taking the chunk the helper would have done next. A failure is thrown as decoding them
     * in order would throw it: the first failing chunk's exception (decoding is pure).
     */
    private DecodedChunk[] decodeAll() {
        int k = chunks.size();
        DecodedChunk[] decoded = new DecodedChunk[k];
        if (decoder == null) {
            for (int c = 0; c < k; c++) {
                decoded[c] = decode(chunks.get(c));
            }
            return decoded;
        }
        RuntimeException[] failed = new RuntimeException[k];
        for (int c = k - 1; c >= 0; c--) {
            try {
                decoded[c] = decoder.take(chunks.get(c));
            } catch (RuntimeException e) {
                failed[c] = e;
            }
        }
        for (RuntimeException e : failed) {
            if (e != null) {
                throw e;
            }
        }
        return decoded;
    }

    /**
     * The block's tx root from its chunks' subtree roots, or null (the core hashes the
     * transactions) when a chunk has none (a part from before layout VERSION 3, a stored block's
     * payload) or they do not tile the block: never a different root than hashing gives.
     */
    private static byte[] txRoot(int txCount, List<int[]> ranges, List<List<byte[]>> tiles) {
        for (List<byte[]> t : tiles) {
            if (t == null) {
                return null;
            }
        }
        return MerkleSubtrees.combine(txCount, ranges, tiles);
    }

    /** The first i32 of a VERSION 2 payload. */
    private static final int VERSION_2 = -2;

    @Override
    public byte[] payload() {
        CanonicalWriter w = new CanonicalWriter(1024);
        w.i32(VERSION_2).bytes(start.header).i32(start.txCount).i32(chunks.size());
        for (BlockPart c : chunks) {
            w.i32(c.chunkIndex).i32(c.firstTx).bytes(orEmpty(c.txs)).bytes(orEmpty(c.txIds)).bytes(orEmpty(c.txHashes))
                    .bytes(orEmpty(c.predictedKeys)).i32(c.sigViolationTx);
            text(w, c.rule);
            text(w, c.reason);
            w.i32(c.strippedSignatureBytes);
        }
        text(w, start.rule);
        text(w, start.reason);
        w.bool(start.bodyMatchesHeader);
        return w.toByteArray();
    }

    /** The candidate a payload of {@link #payload()} encodes (chain id and seq do not matter here). */
    static PreparedCandidate decode(String chainId, byte[] payload) {
        CanonicalReader r = new CanonicalReader(payload);
        BlockPart start = BlockPart.of(BlockPart.Kind.START, chainId, -1);
        int first = r.i32();
        boolean v2 = first == VERSION_2;
        start.header = r.fixed(v2 ? r.i32() : first);
        start.txCount = r.i32();
        int n = r.i32();
        start.chunkCount = n;
        List<BlockPart> chunks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            BlockPart c = BlockPart.of(BlockPart.Kind.PREPARED, chainId, -1);
            c.chunkIndex = r.i32();
            c.firstTx = r.i32();
            c.txs = r.bytes();
            c.txIds = r.bytes();
            c.txHashes = r.bytes();
            c.predictedKeys = r.bytes();
            c.sigViolationTx = r.i32();
            c.rule = text(r);
            c.reason = text(r);
            c.strippedSignatureBytes = v2 ? r.i32() : 0;
            chunks.add(c);
        }
        start.rule = text(r);
        start.reason = text(r);
        start.bodyMatchesHeader = r.bool();
        r.expectEnd();
        PreparedCandidate candidate = new PreparedCandidate(start, chunks);
        start.height = candidate.header.getHeight();
        return candidate;
    }

    private static byte[] orEmpty(byte[] packed) {
        return packed != null ? packed : Blobs.pack(List.of());
    }

    private static void text(CanonicalWriter w, String s) {
        w.bool(s != null);
        if (s != null) {
            w.bytes(s.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String text(CanonicalReader r) {
        return r.bool() ? new String(r.bytes(), StandardCharsets.UTF_8) : null;
    }
}
