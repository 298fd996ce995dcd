package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.ChainCore;
import io.bitquan.flow.execution.chain.ChainDecision;
import io.bitquan.flow.execution.chain.ChainLimits;
import io.bitquan.flow.execution.chain.ChainTip;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.execution.vm.ReplayVm;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChangeCodec;
import io.bitquan.flow.operators.model.CommitPart;
import io.bitquan.flow.operators.model.WaitingByChain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-chain executor (keyed by chain id): the Flink shell around the chain core
 * ({@link ChainCore}, the same one ChainRunner uses) over keyed state ({@link FlinkChainStore}).
 * Every chain decision (tip, forks, gaps, malleated bodies, invalid marking, undo) is the core's;
 * this class only orders input and emits output.
 *
 * <p>Input arrives by two paths (START / REJECT / DISCONNECT straight from the sequencer,
 * PREPARED chunks through the parallel preparers); units and chunks wait on the heap
 * ({@link WaitingParts}) and are offered to the core strictly in the sequencer's order, a START
 * only once all {@code chunkCount} chunks are there (the per-block barrier). Each decision that
 * changes or rejects something gets the next output sequence number and becomes a SUMMARY for the
 * committer, plus one KEYS batch per non-empty commitment bucket (side output); stored and
 * duplicate blocks emit nothing. Receipts leave as receipts-root leaves: the committer hashes the
 * root and writes the feed records (nothing of that decides the next block).
 *
 * <p>State VERSION 3: keyed {@code next-seq-v1}, {@code out-seq-v2} and the core's state (see
 * {@link FlinkChainStore}); operator state {@code waiting-parts-v1} (a union list: the waiting
 * parts, written only at a snapshot; on restore each subtask keeps the chains it serves).
 * VERSION 2 buffered waiting parts in keyed {@code pending-units-v1} / {@code pending-chunks-v1}
 * (with {@code chunk-arrivals-v1}, {@code arrivals-counted-v1}): a VERSION 2 snapshot restores, its
 * parts are read from there until none is left ({@code legacyChains}). A chain restored with hex
 * state keys (FlinkChainStore VERSION 2) is migrated on its first element here.
 */
public final class BlockExecutor extends KeyedProcessFunction<String, BlockPart, CommitPart> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BlockExecutor.class);

    public static final OutputTag<CommitPart> KEY_BATCHES = new OutputTag<>("key-batches", TypeInformation.of(CommitPart.class));

    private final ChainCatalog catalog;
    private final String engineName;
    private final int threads;
    private final VmFactory vm;
    private final int buckets;
    private final ChainLimits limits;

    private transient ValueState<Long> nextSeq;
    private transient ValueState<Long> outSeq;
    /** Before state VERSION 3, waiting units and chunks lived here; now only read to finish such a snapshot's blocks. */
    private transient MapState<Long, BlockPart> pendingUnits;
    private transient MapState<Long, BlockPart> pendingChunks;
    /** Per unit, the chunks in {@link #pendingChunks} (VERSION 2 snapshots only; removed with their block). */
    private transient MapState<Long, Integer> chunkArrivals;
    /** Units and chunks waiting for their turn (on the heap; operator state {@code waiting-parts-v1} at a snapshot). */
    private transient WaitingParts waiting;
    private transient ListState<BlockPart> waitingSnapshot;
    private transient ExecutionEngine engine;
    private transient FlinkChainStore store;
    private transient ExecutorMetrics metrics;
    /** PREPARED chunks decoded ahead on a helper thread (off the serial task thread; see ChunkDecoder). */
    private transient ChunkDecoder decoder;
    /** Chains this instance has seen since it was opened (their keyed state checked, migrated, initialized). */
    private transient Set<String> openedChains;
    /** Chains whose keyed {@link #pendingUnits} / {@link #pendingChunks} may still hold parts of a VERSION 2 snapshot. */
    private transient Set<String> legacyChains;

    /**
     * @param buckets    commitment partitions a block's changes are split into (>= 1)
     * @param undoWindow undo records kept (disconnects deeper than that need a savepoint)
     */
    public BlockExecutor(ChainCatalog catalog, String engineName, int threads, VmFactory vm, int buckets, int undoWindow) {
        this(catalog, engineName, threads, vm, buckets, ChainLimits.withUndoWindow(undoWindow));
    }

    public BlockExecutor(ChainCatalog catalog, String engineName, int threads, VmFactory vm, int buckets, ChainLimits limits) {
        this.catalog = catalog;
        this.engineName = engineName;
        this.threads = threads;
        this.vm = vm;
        this.buckets = buckets;
        this.limits = limits;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        waiting = new WaitingParts();
        waitingSnapshot = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("waiting-parts-v1", TypeInformation.of(BlockPart.class)));
        if (context.isRestored()) {
            waiting.restore(waitingSnapshot.get(), WaitingByChain.servedBy(getRuntimeContext().getTaskInfo()));
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        waitingSnapshot.update(waiting.all());
    }

    @Override
    public void open(OpenContext context) {
        var rc = getRuntimeContext();
        nextSeq = rc.getState(new ValueStateDescriptor<>("next-seq-v1", Types.LONG));
        outSeq = rc.getState(new ValueStateDescriptor<>("out-seq-v2", Types.LONG));
        pendingUnits = rc.getMapState(new MapStateDescriptor<>("pending-units-v1", Types.LONG, TypeInformation.of(BlockPart.class)));
        pendingChunks = rc.getMapState(new MapStateDescriptor<>("pending-chunks-v1", Types.LONG, TypeInformation.of(BlockPart.class)));
        chunkArrivals = rc.getMapState(new MapStateDescriptor<>("chunk-arrivals-v1", Types.LONG, Types.INT));
        // public keys hashed once per executor, not once per use (ReplayVm's KeyHashCache: 60 % of this thread's samples in round 18)
        engine = Engines.create(engineName, threads, ReplayVm.of(vm.create()));
        store = new FlinkChainStore(rc);
        metrics = new ExecutorMetrics(rc);
        decoder = new ChunkDecoder();
        openedChains = new HashSet<>();
        legacyChains = new HashSet<>();
        if (waiting == null) {
            waiting = new WaitingParts(); // used without initializeState (a plain function call)
        }
    }

    @Override
    public void close() throws Exception {
        if (decoder != null) {
            decoder.close();
        }
        if (store != null) {
            store.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private ChainCore core(String chainId) {
        return new ChainCore(catalog.config(chainId), store, engine, limits,
                payload -> PreparedCandidate.decode(chainId, payload));
    }

    @Override
    public void processElement(BlockPart part, Context ctx, Collector<CommitPart> out) throws Exception {
        metrics.received();
        if (openedChains.add(part.chainId)) {
            openChain(part.chainId);
        }
        if (part.kind == BlockPart.Kind.CHUNK) {
            throw new IllegalArgumentException("unprepared chunk reached the executor (seq " + part.seq + ")");
        }
        waiting.put(part);
        decoder.submit(part);
        if (part.seq != nextSeq.value()) {
            return; // not its turn: nothing can drain before the unit at nextSeq changes
        }
        drain(part.chainId, ctx, out);
    }

    /**
     * First element of a chain since this instance opened: checks (and migrates) its keyed state
     * once, not on every element (each check is a keyed-state read, under RocksDB a JNI call).
     */
    private void openChain(String chainId) throws Exception {
        long moved = store.migrateLegacyState();
        if (moved > 0) {
            LOG.info("chain {}: moved {} state entries from hex keys (state-v1) to binary keys (state-v3)", chainId, moved);
        }
        if (nextSeq.value() == null) {
            core(chainId).initialize();
            nextSeq.update(0L);
            outSeq.update(0L);
        } else if (store.tip() == null) {
            // not about the input: a snapshot of the VERSION 1 executor (no chain core state)
            throw new IllegalStateException("chain " + chainId + ": restored executor state has no chain tip"
                    + " (chain-tip-v2): snapshots taken before the chain core (state VERSION 1) cannot be restored;"
                    + " start the job from the chain's beginning instead");
        }
        if (!pendingUnits.isEmpty() || !pendingChunks.isEmpty()) {
            legacyChains.add(chainId);
        }
    }

    /** Units and chunks buffered for chain {@code chainId} (the harness's current key), waiting for their turn (tests: cleanup). */
    int pendingEntries(String chainId) throws Exception {
        int n = waiting.count(chainId);
        for (Long ignored : pendingUnits.keys()) {
            n++;
        }
        for (Long ignored : pendingChunks.keys()) {
            n++;
        }
        for (Long ignored : chunkArrivals.keys()) {
            n++;
        }
        return n;
    }

    private BlockPart unit(String chainId, long s) throws Exception {
        BlockPart u = waiting.unit(chainId, s);
        return u == null && legacyChains.contains(chainId) ? pendingUnits.get(s) : u;
    }

    private BlockPart chunk(String chainId, long s, int c) throws Exception {
        BlockPart chunk = waiting.chunk(chainId, s, c);
        return chunk == null && legacyChains.contains(chainId) ? pendingChunks.get(WaitingParts.chunkKey(s, c)) : chunk;
    }

    private void drain(String chainId, Context ctx, Collector<CommitPart> out) throws Exception {
        while (true) {
            long s = nextSeq.value();
            BlockPart unit = unit(chainId, s);
            if (unit == null) {
                return;
            }
            ChainCore core = core(unit.chainId);
            store.endUnit();
            long received = System.nanoTime();
            if (unit.kind == BlockPart.Kind.START) {
                List<BlockPart> chunks = chunksIfComplete(chainId, s, unit.chunkCount);
                if (chunks == null) {
                    return;
                }
                long t0 = System.nanoTime();
                List<ChainDecision> decisions;
                try {
                    decisions = core.connect(new PreparedCandidate(unit, chunks, decoder));
                } finally {
                    store.endUnit(); // the block's prefetch is over before this thread touches keyed state
                }
                long nanos = System.nanoTime() - t0;
                for (ChainDecision d : decisions) {
                    emit(unit.chainId, d, received, nanos, ctx, out);
                }
                for (int c = 0; c < unit.chunkCount; c++) {
                    if (!waiting.removeChunk(chainId, s, c)) {
                        pendingChunks.remove(WaitingParts.chunkKey(s, c)); // a VERSION 2 snapshot's chunk
                    }
                }
            } else if (unit.kind == BlockPart.Kind.DISCONNECT) {
                emit(unit.chainId, core.disconnect(unit.height, unit.blockId), received, 0, ctx, out);
            } else {
                // A block the sequencer refused before preparing it (caps): the core never saw it.
                emit(unit.chainId, new ChainDecision.Rejected(unit.chainId, unit.height, unit.blockId,
                        new RuleViolation(Rule.fromId(unit.rule), unit.reason), unit.txCount, ExecutionStats.NONE, false, false),
                        received, 0, ctx, out);
            }
            ChainTip tip = core.tip();
            metrics.held(tip.storedCount(), tip.storedBytes());
            if (!waiting.removeUnit(chainId, s) || legacyChains.contains(chainId)) {
                forgetLegacy(chainId, s);
            }
            decoder.forgetThrough(chainId, s);
            nextSeq.update(s + 1);
            metrics.finishedUnit();
        }
    }

    /** Removes unit {@code s}'s VERSION 2 keyed entries; once none is left, the chain reads only the heap. */
    private void forgetLegacy(String chainId, long s) throws Exception {
        pendingUnits.remove(s);
        chunkArrivals.remove(s);
        if (pendingUnits.isEmpty() && pendingChunks.isEmpty()) {
            legacyChains.remove(chainId);
        }
    }

    /** All chunks of unit {@code s}, or null while some are missing (heap lookups: no state read per arrival). */
    private List<BlockPart> chunksIfComplete(String chainId, long s, int chunkCount) throws Exception {
        List<BlockPart> chunks = new ArrayList<>(chunkCount);
        for (int c = 0; c < chunkCount; c++) {
            BlockPart chunk = chunk(chainId, s, c);
            if (chunk == null) {
                return null;
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    private void emit(String chainId, ChainDecision decision, long received, long nanos, Context ctx,
                      Collector<CommitPart> out) throws Exception {
        if (decision instanceof ChainDecision.Stored s) {
            metrics.stored();
            LOG.warn("chain {}: block {} at height {} stored unapplied: {}", chainId, Bytes.hex(s.headerId()), s.height(), s.why());
            return;
        }
        if (decision instanceof ChainDecision.Duplicate d) {
            metrics.duplicate();
            LOG.info("chain {}: block {} at height {} is already on the active chain: ignored", chainId,
                    Bytes.hex(d.headerId()), d.height());
            return;
        }
        long seq = outSeq.value();
        outSeq.update(seq + 1);
        CommitPart summary = CommitPart.of(CommitPart.Kind.SUMMARY, chainId, seq);
        summary.height = decision.height();
        summary.blockId = decision.headerId();
        summary.receivedAtNanos = received;
        if (decision instanceof ChainDecision.Connected c) {
            summary.accepted = true;
            summary.txCount = c.txs().size();
            summary.receiptLeaves = receiptLeaves(c);
            summary.fees = c.output().fees();
            summary.expectedStateRoot = c.header().getExpectedStateRoot() == null ? null
                    : Bytes.of(c.header().getExpectedStateRoot());
            summary.changes = store.encodedChanges(c.changes());
            stats(summary, c.output().stats());
            summary.executeNanos = nanos;
            EncodedChanges cut = store.encodedChangesCut(c.changes());
            summary.partitions = emitKeyBatches(chainId, seq, cut != null ? ChangeSlices.split(cut, buckets)
                    : ChangeSlices.split(c.changes(), summary.changes, buckets), ctx);
            metrics.executed(c.txs().size(), c.output().stats(), nanos, store.lastMisses());
            metrics.accepted();
        } else if (decision instanceof ChainDecision.Disconnected d) {
            summary.accepted = true;
            summary.disconnect = true;
            summary.changes = ChangeCodec.encode(d.reverted());
            summary.partitions = emitKeyBatches(chainId, seq, ChangeSlices.split(d.reverted(), summary.changes, buckets), ctx);
            metrics.disconnected();
        } else {
            ChainDecision.Rejected r = (ChainDecision.Rejected) decision;
            summary.accepted = false;
            summary.disconnect = r.disconnect();
            summary.rule = r.violation().rule().id();
            summary.reason = r.violation().getMessage();
            summary.txCount = r.txCount();
            stats(summary, r.stats());
            if (r.condemned()) {
                metrics.condemned();
            }
            if (r.violation().rule() == Rule.DISCONNECT_BEYOND_WINDOW) {
                LOG.error("chain {}: {}", chainId, r.violation().getMessage());
            }
            metrics.rejected();
        }
        out.collect(summary);
    }

    /**
     * The block's receipts as the receipts root's leaves, packed: the committer hashes the root and
     * writes the Receipt feed records from them (the BLAKE3 Merkle root and the Avro encoding were a
     * visible share of this serial thread; neither decides the next block).
     */
    private byte[] receiptLeaves(ChainDecision.Connected c) {
        return store.receiptLeaves(c.txs(), c.output()); // packed on a helper thread while the block committed
    }

    /** One KEYS batch per non-empty bucket, sliced out of the block's encoded changes (not encoded again). */
    private int emitKeyBatches(String chainId, long seq, byte[][] byBucket, Context ctx) {
        int partitions = 0;
        for (int b = 0; b < buckets; b++) {
            if (byBucket[b] != null) {
                CommitPart batch = CommitPart.of(CommitPart.Kind.KEYS, chainId, seq);
                batch.bucket = b;
                batch.changes = byBucket[b];
                ctx.output(KEY_BATCHES, batch);
                partitions++;
            }
        }
        return partitions;
    }

    /** The commitment partition a state key hashes into (stable across runs and JVMs: the hash of its bytes). */
    public static int bucket(StateKey key, int buckets) {
        return ChangeSlices.bucket(key, buckets);
    }

    private static void stats(CommitPart p, ExecutionStats s) {
        p.executions = s.executions();
        p.aborts = s.aborts();
        p.validations = s.validations();
        p.fallbacks = s.fallbacks();
    }
}
