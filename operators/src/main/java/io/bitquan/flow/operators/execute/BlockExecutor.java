package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.Receipts;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateWrite;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChangeCodec;
import io.bitquan.flow.operators.model.CommitPart;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The per-chain executor (keyed by chain id): ChainRunner's {@code connect}/{@code disconnect}
 * over Flink keyed state.
 *
 * <p>Input arrives by two paths (START / REJECT / DISCONNECT straight from the sequencer,
 * PREPARED chunks through the parallel preparers); units are buffered in keyed state and applied
 * strictly in sequence order, a START only once all {@code chunkCount} chunks are there (the
 * per-block barrier). Per block: tip checks, structure rules, the preparers' signature verdicts,
 * then the configured engine with its worker threads over a {@link GuardedStateView}; an accepted
 * block's write set is committed to keyed state, an undo record kept (bounded window), and the
 * committer gets a SUMMARY plus one KEYS batch per non-empty commitment bucket (side output).
 *
 * <p>State VERSION 1: {@code state-v1} (the chain state), {@code next-seq-v1},
 * {@code tip-height-v1}, {@code tip-id-v1}, {@code pending-units-v1}, {@code pending-chunks-v1},
 * {@code undo-v1} (height -> undo record). Pending units and chunks are removed once applied.
 */
public final class BlockExecutor extends KeyedProcessFunction<String, BlockPart, CommitPart> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<CommitPart> KEY_BATCHES = new OutputTag<>("key-batches", TypeInformation.of(CommitPart.class));

    private final ChainCatalog catalog;
    private final String engineName;
    private final int threads;
    private final VmFactory vm;
    private final int buckets;
    private final int undoWindow;

    private transient MapState<String, byte[]> entries;
    private transient ValueState<Long> nextSeq;
    private transient ValueState<Long> tipHeight;
    private transient ValueState<byte[]> tipId;
    private transient MapState<Long, BlockPart> pendingUnits;
    private transient MapState<Long, BlockPart> pendingChunks;
    private transient MapState<Long, byte[]> undo;
    private transient ExecutionEngine engine;
    private transient KeyedStateStore store;
    private transient ExecutorMetrics metrics;

    /**
     * @param buckets    commitment partitions a block's changes are split into (>= 1)
     * @param undoWindow undo records kept (disconnects deeper than that need a savepoint)
     */
    public BlockExecutor(ChainCatalog catalog, String engineName, int threads, VmFactory vm, int buckets, int undoWindow) {
        this.catalog = catalog;
        this.engineName = engineName;
        this.threads = threads;
        this.vm = vm;
        this.buckets = buckets;
        this.undoWindow = undoWindow;
    }

    @Override
    public void open(OpenContext context) {
        var rc = getRuntimeContext();
        entries = rc.getMapState(new MapStateDescriptor<>("state-v1", Types.STRING, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        nextSeq = rc.getState(new ValueStateDescriptor<>("next-seq-v1", Types.LONG));
        tipHeight = rc.getState(new ValueStateDescriptor<>("tip-height-v1", Types.LONG));
        tipId = rc.getState(new ValueStateDescriptor<>("tip-id-v1", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        pendingUnits = rc.getMapState(new MapStateDescriptor<>("pending-units-v1", Types.LONG, TypeInformation.of(BlockPart.class)));
        pendingChunks = rc.getMapState(new MapStateDescriptor<>("pending-chunks-v1", Types.LONG, TypeInformation.of(BlockPart.class)));
        undo = rc.getMapState(new MapStateDescriptor<>("undo-v1", Types.LONG, PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        engine = Engines.create(engineName, threads, vm.create());
        store = new KeyedStateStore(entries);
        metrics = new ExecutorMetrics(rc);
    }

    @Override
    public void close() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    @Override
    public void processElement(BlockPart part, Context ctx, Collector<CommitPart> out) throws Exception {
        metrics.received();
        if (nextSeq.value() == null) {
            loadGenesis(part.chainId);
        }
        if (part.kind == BlockPart.Kind.PREPARED) {
            pendingChunks.put(chunkKey(part.seq, part.chunkIndex), part);
        } else if (part.kind == BlockPart.Kind.CHUNK) {
            throw new IllegalArgumentException("unprepared chunk reached the executor (seq " + part.seq + ")");
        } else {
            pendingUnits.put(part.seq, part);
        }
        drain(ctx, out);
    }

    /** Units and chunks buffered for the current key, waiting for their turn (tests: cleanup). */
    int pendingEntries() throws Exception {
        int n = 0;
        for (Long ignored : pendingUnits.keys()) {
            n++;
        }
        for (Long ignored : pendingChunks.keys()) {
            n++;
        }
        return n;
    }

    private void loadGenesis(String chainId) throws Exception {
        ChainConfig config = catalog.config(chainId);
        List<StateWrite> writes = new ArrayList<>();
        catalog.genesisStore(chainId).forEach((k, v) -> writes.add(new StateWrite(k, v)));
        store.apply(writes);
        nextSeq.update(0L);
        tipHeight.update(0L);
        tipId.update(config.genesisId());
    }

    private static long chunkKey(long seq, int chunk) {
        return (seq << 20) | chunk;
    }

    private void drain(Context ctx, Collector<CommitPart> out) throws Exception {
        while (true) {
            long s = nextSeq.value();
            BlockPart unit = pendingUnits.get(s);
            if (unit == null) {
                return;
            }
            if (unit.kind == BlockPart.Kind.START) {
                List<BlockPart> chunks = new ArrayList<>(unit.chunkCount);
                for (int c = 0; c < unit.chunkCount; c++) {
                    BlockPart chunk = pendingChunks.get(chunkKey(s, c));
                    if (chunk == null) {
                        return;
                    }
                    chunks.add(chunk);
                }
                connect(unit, chunks, ctx, out);
                for (int c = 0; c < unit.chunkCount; c++) {
                    pendingChunks.remove(chunkKey(s, c));
                }
            } else if (unit.kind == BlockPart.Kind.DISCONNECT) {
                disconnect(unit, ctx, out);
            } else {
                out.collect(rejected(unit, unit.blockId, new RuleViolation(Rule.fromId(unit.rule), unit.reason), 0,
                        ExecutionStats.NONE));
                metrics.rejected();
            }
            pendingUnits.remove(s);
            nextSeq.update(s + 1);
            metrics.finishedUnit();
        }
    }

    private void connect(BlockPart start, List<BlockPart> chunks, Context ctx, Collector<CommitPart> out) throws Exception {
        long received = System.nanoTime();
        ChainConfig config = catalog.config(start.chainId);
        BlockHeader header = AvroBinary.decode(BlockHeader.getClassSchema(), start.header);
        byte[] headerId = BlockHashes.headerId(header);
        long height = header.getHeight();
        long tip = tipHeight.value();
        byte[] tipHash = tipId.value();
        if (height != tip + 1) {
            reject(out, start, headerId, new RuleViolation(Rule.HEADER_HEIGHT,
                    "block height " + height + " does not extend tip " + tip), ExecutionStats.NONE);
            return;
        }
        if (!Arrays.equals(Bytes.of(header.getParentHash()), tipHash)) {
            reject(out, start, headerId, new RuleViolation(Rule.HEADER_PARENT,
                    "parent " + Bytes.hex(Bytes.of(header.getParentHash())) + " is not the tip " + Bytes.hex(tipHash)),
                    ExecutionStats.NONE);
            return;
        }
        if (start.rule != null) {
            // the sequencer's caps (BlockRules.checkCaps), the first thing checkStructure checks
            reject(out, start, headerId, new RuleViolation(Rule.fromId(start.rule), start.reason), ExecutionStats.NONE);
            return;
        }
        List<Transaction> txs = new ArrayList<>(start.txCount);
        List<PreparedTx> prepared = new ArrayList<>(start.txCount);
        Set<StateKey> predicted = new LinkedHashSet<>();
        RuleViolation signature = null;
        for (BlockPart chunk : chunks) {
            List<byte[]> encoded = Blobs.unpack(chunk.txs);
            List<byte[]> ids = Blobs.unpack(chunk.txIds);
            List<byte[]> hashes = Blobs.unpack(chunk.txHashes);
            for (int j = 0; j < encoded.size(); j++) {
                Transaction tx = AvroBinary.decode(Transaction.getClassSchema(), encoded.get(j));
                txs.add(tx);
                prepared.add(new PreparedTx(chunk.firstTx + j, tx, ids.get(j), hashes.get(j)));
            }
            for (byte[] k : Blobs.unpack(chunk.predictedKeys)) {
                predicted.add(StateKey.decode(k));
            }
            if (signature == null && chunk.sigViolationTx >= 0) {
                signature = new RuleViolation(Rule.fromId(chunk.rule), chunk.reason);
            }
        }
        Block block = Block.newBuilder().setHeader(header).setTransactions(txs).build();
        RuleViolation violation = BlockRules.checkStructure(block, prepared, config);
        if (violation == null) {
            violation = signature;
        }
        if (violation != null) {
            reject(out, start, headerId, violation, ExecutionStats.NONE);
            return;
        }
        GuardedStateView view = new GuardedStateView(store);
        view.prefetch(predicted);
        long t0 = System.nanoTime();
        BlockOutput output = engine.execute(new BlockContext(config, height, header.getTimestamp()), prepared, view);
        long executeNanos = System.nanoTime() - t0;
        metrics.executed(prepared.size(), output.stats(), executeNanos, view.misses());
        if (!output.accepted()) {
            reject(out, start, headerId, output.violation(), output.stats());
            return;
        }
        List<StateChange> changes = StateChange.effective(store.apply(output.writes()));
        undo.put(height, encodeUndo(headerId, tipHash, changes));
        undo.remove(height - undoWindow);
        tipHeight.update(height);
        tipId.update(headerId);
        List<Receipt> receipts = Receipts.of(header, prepared, output.outcomes());
        List<byte[]> encodedReceipts = new ArrayList<>(receipts.size());
        for (Receipt r : receipts) {
            encodedReceipts.add(AvroBinary.encode(r));
        }
        CommitPart summary = summary(start, headerId, true);
        summary.receiptsRoot = BlockHashes.receiptsRoot(receipts);
        summary.receipts = Blobs.pack(encodedReceipts);
        summary.fees = output.fees();
        summary.expectedStateRoot = header.getExpectedStateRoot() == null ? null : Bytes.of(header.getExpectedStateRoot());
        summary.changes = ChangeCodec.encode(changes);
        stats(summary, output.stats());
        summary.receivedAtNanos = received;
        summary.executeNanos = executeNanos;
        summary.partitions = emitKeyBatches(start.chainId, start.seq, changes, ctx);
        out.collect(summary);
        metrics.accepted();
    }

    private void disconnect(BlockPart unit, Context ctx, Collector<CommitPart> out) throws Exception {
        long tip = tipHeight.value();
        if (unit.height != tip || !Arrays.equals(unit.blockId, tipId.value())) {
            out.collect(disconnectRejected(unit, new RuleViolation(Rule.DISCONNECT_NOT_TIP,
                    "block " + unit.height + " " + Bytes.hex(unit.blockId) + " is not the tip " + tip)));
            return;
        }
        byte[] record = undo.get(tip);
        if (record == null) {
            out.collect(disconnectRejected(unit, new RuleViolation(Rule.DISCONNECT_BEYOND_WINDOW,
                    "no undo record for block " + tip + " (window " + undoWindow + "): restore from a savepoint")));
            return;
        }
        CanonicalReader r = new CanonicalReader(record);
        byte[] headerId = r.bytes();
        byte[] parentId = r.bytes();
        List<StateChange> changes = ChangeCodec.decode(r.bytes());
        List<StateWrite> writes = new ArrayList<>(changes.size());
        List<StateChange> reverted = new ArrayList<>(changes.size());
        for (StateChange change : changes) {
            writes.add(new StateWrite(change.key(), change.oldValue()));
            reverted.add(change.inverse());
        }
        store.apply(writes);
        undo.remove(tip);
        tipHeight.update(tip - 1);
        tipId.update(parentId);
        CommitPart summary = summary(unit, headerId, true);
        summary.disconnect = true;
        summary.changes = ChangeCodec.encode(reverted);
        summary.partitions = emitKeyBatches(unit.chainId, unit.seq, reverted, ctx);
        out.collect(summary);
    }

    private CommitPart disconnectRejected(BlockPart unit, RuleViolation v) {
        CommitPart p = summary(unit, unit.blockId, false);
        p.disconnect = true;
        p.rule = v.rule().id();
        p.reason = v.getMessage();
        return p;
    }

    private int emitKeyBatches(String chainId, long seq, List<StateChange> changes, Context ctx) {
        List<List<StateChange>> byBucket = new ArrayList<>(buckets);
        for (int b = 0; b < buckets; b++) {
            byBucket.add(new ArrayList<>());
        }
        for (StateChange c : changes) {
            byBucket.get(bucket(c.key(), buckets)).add(c);
        }
        int partitions = 0;
        for (int b = 0; b < buckets; b++) {
            if (!byBucket.get(b).isEmpty()) {
                CommitPart batch = CommitPart.of(CommitPart.Kind.KEYS, chainId, seq);
                batch.bucket = b;
                batch.changes = ChangeCodec.encode(byBucket.get(b));
                ctx.output(KEY_BATCHES, batch);
                partitions++;
            }
        }
        return partitions;
    }

    /** The commitment partition a state key hashes into (stable across runs and JVMs). */
    public static int bucket(StateKey key, int buckets) {
        return Math.floorMod(Arrays.hashCode(key.encodedUnsafe()), buckets);
    }

    private void reject(Collector<CommitPart> out, BlockPart start, byte[] headerId, RuleViolation v, ExecutionStats stats) {
        out.collect(rejected(start, headerId, v, start.txCount, stats));
        metrics.rejected();
    }

    private CommitPart rejected(BlockPart unit, byte[] headerId, RuleViolation v, int txCount, ExecutionStats stats) {
        CommitPart p = summary(unit, headerId, false);
        p.rule = v.rule().id();
        p.reason = v.getMessage();
        p.txCount = txCount;
        stats(p, stats);
        return p;
    }

    private static CommitPart summary(BlockPart unit, byte[] headerId, boolean accepted) {
        CommitPart p = CommitPart.of(CommitPart.Kind.SUMMARY, unit.chainId, unit.seq);
        p.height = unit.height;
        p.blockId = headerId;
        p.accepted = accepted;
        p.txCount = unit.txCount;
        p.receivedAtNanos = System.nanoTime();
        return p;
    }

    private static void stats(CommitPart p, ExecutionStats s) {
        p.executions = s.executions();
        p.aborts = s.aborts();
        p.validations = s.validations();
        p.fallbacks = s.fallbacks();
    }

    private static byte[] encodeUndo(byte[] headerId, byte[] parentId, List<StateChange> changes) {
        return new CanonicalWriter().bytes(headerId).bytes(parentId).bytes(ChangeCodec.encode(changes)).toByteArray();
    }
}
