package io.bitquan.flow.operators.sequencer;

import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChainInput;
import java.util.ArrayList;
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
 * preparers at all (caps, see {@link #refuse}).
 *
 * <p>State VERSION 2: {@code seq-v1} only (the held/forwarded maps of VERSION 1 are gone).
 */
public final class BlockSequencer extends KeyedProcessFunction<String, ChainInput, BlockPart> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BlockSequencer.class);

    public static final OutputTag<BlockPart> CHUNKS = new OutputTag<>("chunks", TypeInformation.of(BlockPart.class));

    private final ChainCatalog catalog;
    private final int chunkSize;

    private transient ValueState<Long> seq;

    public BlockSequencer(ChainCatalog catalog, int chunkSize) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1");
        }
        this.catalog = catalog;
        this.chunkSize = chunkSize;
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
        ChainEvent event = AvroBinary.decode(ChainEvent.getClassSchema(), input.event);
        if (event.getEvent() instanceof BlockDisconnected d) {
            BlockPart part = BlockPart.of(BlockPart.Kind.DISCONNECT, ctx.getCurrentKey(), nextSeq());
            part.height = d.getHeight();
            part.blockId = Bytes.of(d.getBlockId());
            out.collect(part);
            return;
        }
        Block block = ((BlockConnected) event.getEvent()).getBlock();
        String refusal = refuse(block);
        if (refusal != null) {
            reject(block, ctx.getCurrentKey(), refusal, out);
            return;
        }
        forward(block, ctx.getCurrentKey(), out, ctx);
    }

    /**
     * Caps checked before any preparing cost (issue 9 adds the block tx count / byte size
     * check here): a reason refuses the block with a REJECT unit, {@code null} lets it through.
     * Must not depend on anything but the block and the chain's configuration.
     */
    private String refuse(Block block) {
        return null;
    }

    private void reject(Block block, String chainId, String reason, Collector<BlockPart> out) throws Exception {
        BlockHeader header = block.getHeader();
        BlockPart reject = BlockPart.of(BlockPart.Kind.REJECT, chainId, nextSeq());
        reject.height = header.getHeight();
        reject.blockId = BlockHashes.headerId(header);
        reject.rule = Rule.BLOCK_TOO_LARGE.id();
        reject.reason = reason;
        reject.txCount = block.getTransactions().size();
        LOG.warn("chain {}: block {} at height {} refused: {}", chainId, Bytes.hex(reject.blockId), reject.height, reason);
        out.collect(reject);
    }

    private void forward(Block block, String chainId, Collector<BlockPart> out, Context ctx) throws Exception {
        BlockHeader header = block.getHeader();
        long s = nextSeq();
        List<Transaction> txs = block.getTransactions();
        int chunkCount = (txs.size() + chunkSize - 1) / chunkSize;
        BlockPart start = BlockPart.of(BlockPart.Kind.START, chainId, s);
        start.height = header.getHeight();
        start.header = AvroBinary.encode(header);
        start.txCount = txs.size();
        start.chunkCount = chunkCount;
        out.collect(start);
        for (int c = 0; c < chunkCount; c++) {
            int from = c * chunkSize;
            int to = Math.min(txs.size(), from + chunkSize);
            List<byte[]> encoded = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                encoded.add(AvroBinary.encode(txs.get(i)));
            }
            BlockPart chunk = BlockPart.of(BlockPart.Kind.CHUNK, chainId, s);
            chunk.height = header.getHeight();
            chunk.chunkIndex = c;
            chunk.firstTx = from;
            chunk.txs = Blobs.pack(encoded);
            ctx.output(CHUNKS, chunk);
        }
    }

    private long nextSeq() throws Exception {
        long s = seq.value();
        seq.update(s + 1);
        return s;
    }
}
