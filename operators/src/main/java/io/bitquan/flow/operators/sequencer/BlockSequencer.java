package io.bitquan.flow.operators.sequencer;

import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChainInput;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First stage per chain (keyed by chain id). Decides which events go on and in which order, and
 * numbers every unit it emits with a per-chain sequence number the executor applies in order.
 *
 * <pre>
 *  BlockConnected ─┬─ header id already forwarded ───────────────► ignored (duplicate)
 *                  ├─ parent forwarded (or genesis) ─────────────► forwarded: START + chunks,
 *                  │     another child of that parent forwarded?     then held children released
 *                  │       └► fork reported (log + metric); the executor decides which applies
 *                  └─ parent unknown ─► held (keyed state) ─┬─ parent arrives ─► forwarded
 *                                                          └─ hold timeout / too many held
 *                                                               ─► REJECT unit (header-parent,
 *                                                                  "parent never arrived")
 *  BlockDisconnected ─► DISCONNECT unit (the executor checks it is the tip)
 * </pre>
 *
 * The sequencer only knows what it forwarded, not what the executor accepted: consensus checks
 * (height, parent = executor's tip, rules) stay in the executor, exactly as in ChainRunner, so
 * a forwarded block that turns out invalid is rejected there and its sibling applies.
 *
 * <p>State VERSION 1: {@code seq-v1}, {@code forwarded-v1} (header id hex -> height),
 * {@code first-child-v1} (parent hex -> child hex), {@code held-v1}, {@code held-at-v1}.
 */
public final class BlockSequencer extends KeyedProcessFunction<String, ChainInput, BlockPart> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BlockSequencer.class);
    /** Forwarded header ids are remembered this many blocks back (duplicate/fork detection). */
    static final long MEMORY_BLOCKS = 1000;

    public static final OutputTag<BlockPart> CHUNKS = new OutputTag<>("chunks", TypeInformation.of(BlockPart.class));

    private final ChainCatalog catalog;
    private final int chunkSize;
    private final long holdTimeoutMs;
    private final int maxHeld;

    private transient ValueState<Long> seq;
    private transient MapState<String, Long> forwarded;
    private transient MapState<String, String> firstChild;
    private transient MapState<String, ChainInput> held;
    private transient MapState<String, Long> heldAt;
    private transient Counter duplicates;
    private transient Counter forks;
    private transient Counter heldFailed;

    public BlockSequencer(ChainCatalog catalog, int chunkSize, long holdTimeoutMs, int maxHeld) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunk size must be >= 1");
        }
        this.catalog = catalog;
        this.chunkSize = chunkSize;
        this.holdTimeoutMs = holdTimeoutMs;
        this.maxHeld = maxHeld;
    }

    @Override
    public void open(OpenContext context) {
        seq = getRuntimeContext().getState(new ValueStateDescriptor<>("seq-v1", Types.LONG));
        forwarded = getRuntimeContext().getMapState(new MapStateDescriptor<>("forwarded-v1", Types.STRING, Types.LONG));
        firstChild = getRuntimeContext().getMapState(new MapStateDescriptor<>("first-child-v1", Types.STRING, Types.STRING));
        held = getRuntimeContext().getMapState(new MapStateDescriptor<>("held-v1", Types.STRING, TypeInformation.of(ChainInput.class)));
        heldAt = getRuntimeContext().getMapState(new MapStateDescriptor<>("held-at-v1", Types.STRING, Types.LONG));
        var metrics = getRuntimeContext().getMetricGroup();
        duplicates = metrics.counter("duplicateBlocks");
        forks = metrics.counter("forks");
        heldFailed = metrics.counter("heldBlocksFailed");
    }

    @Override
    public void processElement(ChainInput input, Context ctx, Collector<BlockPart> out) throws Exception {
        if (seq.value() == null) {
            seq.update(0L);
            forwarded.put(Bytes.hex(catalog.config(input.chainId).genesisId()), 0L);
        }
        ChainEvent event = AvroBinary.decode(ChainEvent.getClassSchema(), input.event);
        if (event.getEvent() instanceof BlockDisconnected d) {
            disconnect(d, ctx.getCurrentKey(), out);
            return;
        }
        Block block = ((BlockConnected) event.getEvent()).getBlock();
        BlockHeader header = block.getHeader();
        String id = Bytes.hex(BlockHashes.headerId(header));
        if (forwarded.contains(id) || held.contains(id)) {
            duplicates.inc();
            LOG.info("chain {}: duplicate block {} at height {} (offset {}) ignored", input.chainId, id, header.getHeight(), input.offset);
            return;
        }
        String parent = Bytes.hex(Bytes.of(header.getParentHash()));
        if (!forwarded.contains(parent)) {
            held.put(id, input);
            long now = ctx.timerService().currentProcessingTime();
            heldAt.put(id, now);
            ctx.timerService().registerProcessingTimeTimer(now + holdTimeoutMs);
            LOG.warn("chain {}: block {} at height {} (offset {}) arrived before its parent {}: held",
                    input.chainId, id, header.getHeight(), input.offset, parent);
            if (countHeld() > maxHeld) {
                failOldestHeld(ctx.getCurrentKey(), out, ctx, "more than " + maxHeld + " blocks held");
            }
            return;
        }
        forward(block, id, parent, ctx.getCurrentKey(), out, ctx);
    }

    private void forward(Block block, String id, String parent, String chainId, Collector<BlockPart> out, Context ctx)
            throws Exception {
        BlockHeader header = block.getHeader();
        String sibling = firstChild.get(parent);
        if (sibling == null) {
            firstChild.put(parent, id);
        } else {
            forks.inc();
            LOG.warn("chain {}: fork at height {}: block {} and block {} share parent {}",
                    chainId, header.getHeight(), sibling, id, parent);
        }
        long s = nextSeq();
        List<Transaction> txs = block.getTransactions();
        // Caps before cost: a block over the tx-count or byte cap is not split, prepared or
        // verified; the executor rejects it with this rule after its tip checks (as ChainRunner).
        RuleViolation caps = BlockRules.checkCaps(block, catalog.config(chainId));
        int chunkCount = caps != null ? 0 : (txs.size() + chunkSize - 1) / chunkSize;
        BlockPart start = BlockPart.of(BlockPart.Kind.START, chainId, s);
        start.height = header.getHeight();
        start.header = AvroBinary.encode(header);
        start.txCount = txs.size();
        start.chunkCount = chunkCount;
        if (caps != null) {
            start.rule = caps.rule().id();
            start.reason = caps.getMessage();
        }
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
        forwarded.put(id, header.getHeight());
        prune(header.getHeight());
        releaseChildren(id, chainId, out, ctx);
    }

    private void releaseChildren(String parentId, String chainId, Collector<BlockPart> out, Context ctx) throws Exception {
        List<Map.Entry<String, ChainInput>> ready = new ArrayList<>();
        for (Map.Entry<String, ChainInput> e : held.entries()) {
            Block b = ((BlockConnected) AvroBinary.<ChainEvent>decode(ChainEvent.getClassSchema(), e.getValue().event)
                    .getEvent()).getBlock();
            if (Bytes.hex(Bytes.of(b.getHeader().getParentHash())).equals(parentId)) {
                ready.add(e);
            }
        }
        ready.sort((a, b) -> Long.compare(a.getValue().offset, b.getValue().offset));
        for (Map.Entry<String, ChainInput> e : ready) {
            held.remove(e.getKey());
            heldAt.remove(e.getKey());
            Block b = ((BlockConnected) AvroBinary.<ChainEvent>decode(ChainEvent.getClassSchema(), e.getValue().event)
                    .getEvent()).getBlock();
            LOG.info("chain {}: held block {} released (parent {} arrived)", chainId, e.getKey(), parentId);
            forward(b, e.getKey(), parentId, chainId, out, ctx);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<BlockPart> out) throws Exception {
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Long> e : heldAt.entries()) {
            if (e.getValue() + holdTimeoutMs <= timestamp) {
                expired.add(e.getKey());
            }
        }
        expired.sort(null);
        for (String id : expired) {
            fail(id, ctx.getCurrentKey(), out, "held " + holdTimeoutMs + " ms");
        }
    }

    private void failOldestHeld(String chainId, Collector<BlockPart> out, Context ctx, String why) throws Exception {
        String oldest = null;
        long oldestOffset = Long.MAX_VALUE;
        for (Map.Entry<String, ChainInput> e : held.entries()) {
            if (e.getValue().offset < oldestOffset) {
                oldestOffset = e.getValue().offset;
                oldest = e.getKey();
            }
        }
        if (oldest != null) {
            fail(oldest, chainId, out, why);
        }
    }

    /** A held block whose parent never came: a REJECT unit, so it still gets a BlockResult. */
    private void fail(String id, String chainId, Collector<BlockPart> out, String why) throws Exception {
        ChainInput input = held.get(id);
        held.remove(id);
        heldAt.remove(id);
        heldFailed.inc();
        BlockHeader header = ((BlockConnected) AvroBinary.<ChainEvent>decode(ChainEvent.getClassSchema(), input.event)
                .getEvent()).getBlock().getHeader();
        String parent = Bytes.hex(Bytes.of(header.getParentHash()));
        String reason = "missing block: parent " + parent + " of block " + id + " at height " + header.getHeight()
                + " (partition " + input.partition + " offset " + input.offset + ") never arrived (" + why + ")";
        LOG.error("chain {}: {}", chainId, reason);
        BlockPart reject = BlockPart.of(BlockPart.Kind.REJECT, chainId, nextSeq());
        reject.height = header.getHeight();
        reject.blockId = Bytes.fromHex(id);
        reject.rule = Rule.HEADER_PARENT.id();
        reject.reason = reason;
        out.collect(reject);
    }

    private void disconnect(BlockDisconnected d, String chainId, Collector<BlockPart> out) throws Exception {
        String id = Bytes.hex(Bytes.of(d.getBlockId()));
        forwarded.remove(id);
        BlockPart part = BlockPart.of(BlockPart.Kind.DISCONNECT, chainId, nextSeq());
        part.height = d.getHeight();
        part.blockId = Bytes.of(d.getBlockId());
        out.collect(part);
    }

    private long nextSeq() throws Exception {
        long s = seq.value();
        seq.update(s + 1);
        return s;
    }

    /** Blocks held for the current key (tests: cleanup). */
    int heldCount() throws Exception {
        return countHeld();
    }

    private int countHeld() throws Exception {
        int n = 0;
        for (Iterator<String> it = held.keys().iterator(); it.hasNext(); it.next()) {
            n++;
        }
        return n;
    }

    /** Forgets forwarded ids far below the newest height (bounded state). */
    private void prune(long height) throws Exception {
        if (height % 256 != 0 || height <= MEMORY_BLOCKS) {
            return;
        }
        List<String> old = new ArrayList<>();
        for (Map.Entry<String, Long> e : forwarded.entries()) {
            if (e.getValue() < height - MEMORY_BLOCKS) {
                old.add(e.getKey());
            }
        }
        for (String id : old) {
            forwarded.remove(id);
            firstChild.remove(id);
        }
    }
}
