package io.bitquan.flow.operators.sequencer;

import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChainInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stage per chain (keyed by chain id): numbers every event with the per-chain sequence
 * number the executor applies in, and splits a block into a START (to the executor) and chunks
 * (to the parallel preparers). It makes no chain decision: duplicates, forks, gaps, malleated
 * bodies and disconnects are all the chain core's, in the executor, so the two operators can
 * never disagree about what is known. The only thing decided here is what must not reach the
 * preparers at all: a block over the caps ({@link BlockRules#checkCaps}) is not split, prepared
 * or verified; its START carries the cap's rule and whether its body matches the header's tx
 * root, so the core decides it exactly as ChainRunner does (condemn the header, or only this copy).
 *
 * <p>A block within the caps is split as its bytes arrived ({@link BlockSlices}): only its header
 * is decoded here, each transaction is decoded once, by its preparer. A block over the caps as
 * sent (or an event that cannot be sliced) takes the decoded path, which decides the caps exactly.
 *
 * <p>State VERSION 2: {@code seq-v1} only (the held/forwarded maps of VERSION 1 are gone).
 */
public final class BlockSequencer extends KeyedProcessFunction<String, ChainInput, BlockPart> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BlockSequencer.class);

    public static final OutputTag<BlockPart> CHUNKS = new OutputTag<>("chunks", TypeInformation.of(BlockPart.class));

    private final ChainCatalog catalog;
    private final int chunkSize;
    private final int maxChunks;

    private transient ValueState<Long> seq;

    public BlockSequencer(ChainCatalog catalog, int chunkSize) {
        this(catalog, chunkSize, 0);
    }

    /**
     * @param chunkSize the smallest chunk (transactions)
     * @param maxChunks split a block into at most this many chunks (larger chunks for larger
     *                  blocks: each chunk costs a record per hop and a state entry while its
     *                  block waits, while more chunks than preparers buy no parallelism);
     *                  0 = always {@code chunkSize}. Routing only: no result depends on it.
     */
    public BlockSequencer(ChainCatalog catalog, int chunkSize, int maxChunks) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1");
        }
        this.catalog = catalog;
        this.chunkSize = chunkSize;
        this.maxChunks = maxChunks;
    }

    /** Transactions per chunk for a block of {@code txCount}. */
    int chunkSizeFor(int txCount) {
        return maxChunks <= 0 ? chunkSize : Math.max(chunkSize, (txCount + maxChunks - 1) / maxChunks);
    }

    @Override
    public void open(OpenContext context) {
        seq = getRuntimeContext().getState(new ValueStateDescriptor<>("seq-v1", Types.LONG));
    }

    @Override
    public void processElement(ChainInput input, Context ctx, Collector<BlockPart> out) throws Exception {
        if (seq.value() == null) {
            seq.update(0L);
        }
        BlockSlices slices = slices(input);
        if (slices != null && BlockRules.checkCaps(slices.header, slices.count(), () -> slices.blockBytes,
                catalog.config(ctx.getCurrentKey())) == null) {
            // within the caps as sent, so within them canonically (BlockSlices): split the bytes as they are
            forward(slices, ctx.getCurrentKey(), out, ctx);
            return;
        }
        ChainEvent event = AvroBinary.decode(ChainEvent.getClassSchema(), input.event, input.eventOffset, input.eventLength());
        if (event.getEvent() instanceof BlockDisconnected d) {
            BlockPart part = BlockPart.of(BlockPart.Kind.DISCONNECT, ctx.getCurrentKey(), nextSeq());
            part.height = d.getHeight();
            part.blockId = Bytes.of(d.getBlockId());
            out.collect(part);
            return;
        }
        Block block = ((BlockConnected) event.getEvent()).getBlock();
        forward(block, ctx.getCurrentKey(), out, ctx);
    }

    /** The event's slices; {@code null} for a disconnect (and, defensively, for what they cannot read). */
    private static BlockSlices slices(ChainInput input) {
        try {
            return BlockSlices.read(input.event, input.eventOffset);
        } catch (IOException | RuntimeException e) {
            return null; // the full decode below reads it, or fails as it always did
        }
    }

    /** A block within the caps: START and chunks straight from the event's bytes, no transaction decoded. */
    private void forward(BlockSlices block, String chainId, Collector<BlockPart> out, Context ctx) throws Exception {
        BlockHeader header = block.header;
        long s = nextSeq();
        int count = block.count();
        int size = chunkSizeFor(count);
        int chunkCount = (count + size - 1) / size;
        BlockPart start = BlockPart.of(BlockPart.Kind.START, chainId, s);
        start.height = header.getHeight();
        start.header = block.headerBytes;
        start.txCount = count;
        start.chunkCount = chunkCount;
        out.collect(start);
        byte[] blockId = BlockHashes.headerId(header);
        for (int c = 0; c < chunkCount; c++) {
            int from = c * size;
            int to = Math.min(count, from + size);
            BlockPart chunk = BlockPart.of(BlockPart.Kind.CHUNK, chainId, s);
            chunk.height = header.getHeight();
            chunk.blockId = blockId;
            chunk.chunkIndex = c;
            chunk.firstTx = from;
            chunk.txs = block.pack(from, to); // straight from the event's bytes
            ctx.output(CHUNKS, chunk);
        }
    }

    /** The decoded path: blocks over the caps as sent (their exact verdict needs the canonical size). */
    private void forward(Block block, String chainId, Collector<BlockPart> out, Context ctx) throws Exception {
        BlockHeader header = block.getHeader();
        long s = nextSeq();
        List<Transaction> txs = block.getTransactions();
        // Caps before cost: a block over the tx-count or byte cap is not split, prepared or verified.
        RuleViolation caps = BlockRules.checkCaps(block, catalog.config(chainId));
        int size = chunkSizeFor(txs.size());
        int chunkCount = caps != null ? 0 : (txs.size() + size - 1) / size;
        BlockPart start = BlockPart.of(BlockPart.Kind.START, chainId, s);
        start.height = header.getHeight();
        start.header = AvroBinary.encode(header);
        start.txCount = txs.size();
        start.chunkCount = chunkCount;
        if (caps != null) {
            start.rule = caps.rule().id();
            start.reason = caps.getMessage();
            start.bodyMatchesHeader = txRootMatches(block);
            LOG.warn("chain {}: block at height {} over the caps, not prepared: {}", chainId, start.height, caps.getMessage());
        }
        out.collect(start);
        // each chunk names its block, so a preparer can tell an assume-valid ancestor (TxPreparer)
        byte[] blockId = chunkCount > 0 ? BlockHashes.headerId(header) : null;
        for (int c = 0; c < chunkCount; c++) {
            int from = c * size;
            int to = Math.min(txs.size(), from + size);
            List<byte[]> encoded = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                encoded.add(AvroBinary.encode(txs.get(i)));
            }
            BlockPart chunk = BlockPart.of(BlockPart.Kind.CHUNK, chainId, s);
            chunk.height = header.getHeight();
            chunk.blockId = blockId;
            chunk.chunkIndex = c;
            chunk.firstTx = from;
            chunk.txs = Blobs.pack(encoded);
            ctx.output(CHUNKS, chunk);
        }
    }

    /** Whether the body is the one the header commits to (hashing is cheap next to verifying). */
    private static boolean txRootMatches(Block block) {
        try {
            List<byte[]> hashes = new ArrayList<>(block.getTransactions().size());
            for (Transaction tx : block.getTransactions()) {
                hashes.add(TxCodec.txHash(tx));
            }
            return Arrays.equals(BlockHashes.txRoot(hashes), Bytes.of(block.getHeader().getTxRoot()));
        } catch (RuntimeException e) {
            return false; // a body that cannot even be hashed is not the header's
        }
    }

    private long nextSeq() throws Exception {
        long s = seq.value();
        seq.update(s + 1);
        return s;
    }
}
