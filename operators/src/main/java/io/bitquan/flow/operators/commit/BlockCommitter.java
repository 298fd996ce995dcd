package io.bitquan.flow.operators.commit;

import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.commit.MerkleRoot;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChangeCodec;
import io.bitquan.flow.operators.model.CommitPart;
import io.bitquan.flow.operators.model.FeedBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import io.bitquan.flow.operators.model.CatalogEntry;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import io.bitquan.flow.operators.model.WaitingByChain;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-chain committer (keyed by chain id). For each unit, in the executor's sequence order,
 * it waits for the SUMMARY and all {@code partitions} DELTAs (the barrier), adds the deltas to
 * the chain's lattice, derives the state root and block hash, compares with the header's
 * expected root (mismatch = divergence: an ERROR log line, the {@code divergences} metric and
 * {@code divergence=true} in the BlockResult) and emits the feeds: the BlockResult, one StateDiff
 * per changed entry and one Receipt per transaction, as one {@link FeedBatch} per unit (the sink
 * writes them one by one; {@link FeedEncoder} writes diffs and receipts in their final bytes).
 *
 * Every feed record gets the chain's next feed sequence number ({@code feed-seq-v1}: the
 * BlockResult first, then its diffs, then its receipts), so at-least-once consumers dedupe by
 * (chain, sequence); the numbering is ChainRunner's.
 *
 * <p>Snapshot catalog: at every checkpoint and savepoint it takes part in, the committer writes
 * one {@link CatalogEntry} per chain it committed to since it started (the chain's active tip:
 * height, block hash, state root), so {@code reorg-restore} can pick a savepoint by height.
 *
 * <p>State VERSION 2: keyed {@code active-hashes-v1} (height -> block hash, bounded), {@code lattice-v1} (LtHash bytes; genesis lattice on the chain's first
 * unit), {@code next-seq-v1}, {@code feed-seq-v1}; operator state {@code waiting-commits-v1} (a union
 * list: the summaries and deltas waiting at the snapshot, {@link WaitingCommits}; on restore each
 * subtask keeps the chains it serves). VERSION 1 kept waiting parts in keyed
 * {@code pending-summaries-v1} / {@code pending-deltas-v1}: a VERSION 1 snapshot restores, its
 * parts are read from there until none is left ({@code legacyChains}).
 */
public final class BlockCommitter extends KeyedProcessFunction<String, CommitPart, FeedBatch>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(BlockCommitter.class);
    /** Block hashes of the active chain kept this many heights back (deeper reorgs restore a savepoint). */
    private static final long HASH_MEMORY = 4096;

    private final ChainCatalog catalog;
    private final int buckets;
    private final String catalogDir;
    private final long sequenceFloor;

    private transient ValueState<byte[]> lattice;
    private transient ValueState<Long> nextSeq;
    private transient ValueState<Long> feedSeq;
    private transient MapState<Long, byte[]> activeHashes;
    /** Tips of the chains this subtask committed to since it started (for catalog entries). */
    private transient Map<String, CatalogEntry> tips;
    /** VERSION 1's keyed buffers of waiting parts: only read to finish such a snapshot's units. */
    private transient MapState<Long, CommitPart> summaries;
    private transient MapState<Long, CommitPart> deltas;
    /** Summaries and deltas waiting for their turn (on the heap; operator state {@code waiting-commits-v1} at a snapshot). */
    private transient WaitingCommits waiting;
    private transient ListState<CommitPart> waitingSnapshot;
    /** Chains whose keyed state this instance has checked since it opened (initialised, legacy buffers). */
    private transient Set<String> openedChains;
    /** Chains whose VERSION 1 keyed buffers may still hold parts. */
    private transient Set<String> legacyChains;
    private transient FeedEncoder encoder;
    private transient Counter committed;
    private transient Counter divergences;
    private transient volatile double lastLatencyMillis;
    private transient volatile long lastHeight;

    public BlockCommitter(ChainCatalog catalog, int buckets) {
        this(catalog, buckets, null, 0);
    }

    /**
     * @param catalogDir    where snapshot catalog entries go (a Flink filesystem URI); null = none
     * @param sequenceFloor feed sequence numbers continue at least from here (reorg-restore sets it
     *                      above everything already published, so a restored job never reuses one)
     */
    public BlockCommitter(ChainCatalog catalog, int buckets, String catalogDir, long sequenceFloor) {
        this.catalog = catalog;
        this.buckets = buckets;
        this.catalogDir = catalogDir;
        this.sequenceFloor = sequenceFloor;
    }

    @Override
    public void open(OpenContext context) {
        var rc = getRuntimeContext();
        lattice = rc.getState(new ValueStateDescriptor<>("lattice-v1", PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        nextSeq = rc.getState(new ValueStateDescriptor<>("next-seq-v1", Types.LONG));
        feedSeq = rc.getState(new ValueStateDescriptor<>("feed-seq-v1", Types.LONG));
        activeHashes = rc.getMapState(new MapStateDescriptor<>("active-hashes-v1", Types.LONG,
                PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        tips = new TreeMap<>();
        encoder = new FeedEncoder();
        summaries = rc.getMapState(new MapStateDescriptor<>("pending-summaries-v1", Types.LONG, TypeInformation.of(CommitPart.class)));
        deltas = rc.getMapState(new MapStateDescriptor<>("pending-deltas-v1", Types.LONG, TypeInformation.of(CommitPart.class)));
        openedChains = new HashSet<>();
        legacyChains = new HashSet<>();
        if (waiting == null) {
            waiting = new WaitingCommits(); // used without initializeState (a plain function call)
        }
        var metrics = rc.getMetricGroup();
        committed = metrics.counter("blocksCommitted");
        divergences = metrics.counter("divergences");
        metrics.gauge("lastBlockLatencyMillis", (Gauge<Double>) () -> lastLatencyMillis);
        metrics.gauge("lastCommittedHeight", (Gauge<Long>) () -> lastHeight);
    }

    @Override
    public void processElement(CommitPart part, Context ctx, Collector<FeedBatch> out) throws Exception {
        if (openedChains.add(part.chainId)) {
            openChain(part.chainId);
        }
        waiting.put(part);
        if (part.seq != nextSeq.value()) {
            return; // not its unit's turn: nothing can drain before the unit at nextSeq completes
        }
        drain(part.chainId, out);
    }

    /** First element of a chain since this instance opened: its keyed state checked once, not per element. */
    private void openChain(String chainId) throws Exception {
        if (nextSeq.value() == null) {
            nextSeq.update(0L);
            feedSeq.update(0L);
            lattice.update(catalog.genesisLattice(chainId).toBytes());
        }
        if (feedSeq.value() < sequenceFloor) {
            feedSeq.update(sequenceFloor);
        }
        if (!summaries.isEmpty() || !deltas.isEmpty()) {
            legacyChains.add(chainId);
        }
    }

    /** Summaries and deltas waiting: on the heap (every chain) and in the current key's VERSION 1 buffers (tests: cleanup). */
    int pendingEntries() throws Exception {
        int n = waiting.all().size();
        for (Long ignored : summaries.keys()) {
            n++;
        }
        for (Long ignored : deltas.keys()) {
            n++;
        }
        return n;
    }

    /** The active chain's block hashes by height (bounded), so a disconnect knows the new tip's hash. */
    private void trackTip(CommitPart summary, byte[] blockHash, byte[] root) throws Exception {
        if (!summary.accepted) {
            return;
        }
        long tipHeight;
        byte[] tipHash;
        if (summary.disconnect) {
            activeHashes.remove(summary.height);
            tipHeight = summary.height - 1;
            tipHash = activeHashes.get(tipHeight);
        } else {
            activeHashes.put(summary.height, blockHash);
            activeHashes.remove(summary.height - HASH_MEMORY);
            tipHeight = summary.height;
            tipHash = blockHash;
        }
        tips.put(summary.chainId, new CatalogEntry(summary.chainId, tipHeight, tipHash == null ? "" : Bytes.hex(tipHash),
                Bytes.hex(root), "", -1));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        waitingSnapshot.update(waiting.all());
        if (catalogDir == null || tips.isEmpty()) {
            return;
        }
        String jobId = getRuntimeContext().getJobInfo().getJobId().toString();
        for (CatalogEntry tip : tips.values()) {
            CatalogEntry entry = new CatalogEntry(tip.chainId(), tip.height(), tip.blockHash(), tip.stateRoot(), jobId,
                    context.getCheckpointId());
            Path file = new Path(new Path(catalogDir, entry.chainId()), entry.fileName());
            try (FSDataOutputStream out = file.getFileSystem().create(file, FileSystem.WriteMode.OVERWRITE)) {
                out.write(entry.encode());
            }
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // keyed state in open(); catalog entries are files, written per snapshot; the waiting parts:
        waiting = new WaitingCommits();
        waitingSnapshot = context.getOperatorStateStore().getUnionListState(
                new ListStateDescriptor<>("waiting-commits-v1", TypeInformation.of(CommitPart.class)));
        if (context.isRestored()) {
            waiting.restore(waitingSnapshot.get(), WaitingByChain.servedBy(getRuntimeContext().getTaskInfo()));
        }
    }

    /** VERSION 1's keyed map key of a delta. */
    private static long key(long seq, int bucket) {
        return WaitingCommits.deltaKey(seq, bucket);
    }

    private CommitPart summary(String chainId, long s) throws Exception {
        CommitPart p = waiting.summary(chainId, s);
        return p == null && legacyChains.contains(chainId) ? summaries.get(s) : p;
    }

    private CommitPart delta(String chainId, long s, int b) throws Exception {
        CommitPart p = waiting.delta(chainId, s, b);
        return p == null && legacyChains.contains(chainId) ? deltas.get(key(s, b)) : p;
    }

    private void drain(String chainId, Collector<FeedBatch> out) throws Exception {
        while (true) {
            long s = nextSeq.value();
            CommitPart summary = summary(chainId, s);
            if (summary == null) {
                return;
            }
            List<CommitPart> parts = new ArrayList<>(summary.partitions);
            for (int b = 0; b < buckets && parts.size() < summary.partitions; b++) {
                CommitPart d = delta(chainId, s, b);
                if (d != null) {
                    parts.add(d);
                }
            }
            if (parts.size() < summary.partitions) {
                return;
            }
            commit(summary, parts, out);
            boolean legacy = legacyChains.contains(chainId);
            for (CommitPart d : parts) {
                if (!waiting.removeDelta(chainId, s, d.bucket) || legacy) {
                    deltas.remove(key(s, d.bucket));
                }
            }
            if (!waiting.removeSummary(chainId, s) || legacy) {
                summaries.remove(s);
            }
            if (legacy && summaries.isEmpty() && deltas.isEmpty()) {
                legacyChains.remove(chainId);
            }
            nextSeq.update(s + 1);
        }
    }

    private void commit(CommitPart summary, List<CommitPart> parts, Collector<FeedBatch> out) throws Exception {
        LtHash current = LtHash.fromBytes(lattice.value());
        for (CommitPart d : parts) {
            current.add(LtHash.fromBytes(d.delta));
        }
        if (!parts.isEmpty()) {
            lattice.update(current.toBytes());
        }
        byte[] root = current.root();
        boolean connectAccepted = summary.accepted && !summary.disconnect;
        List<byte[]> leaves = connectAccepted && summary.receiptLeaves != null ? Blobs.unpack(summary.receiptLeaves) : null;
        if (leaves != null) {
            summary.receiptsRoot = MerkleRoot.of(leaves); // BlockHashes.receiptsRoot of the same receipts
        }
        byte[] blockHash = connectAccepted ? BlockHashes.blockHash(summary.blockId, root, summary.receiptsRoot) : null;
        boolean divergence = connectAccepted && summary.expectedStateRoot != null
                && !Arrays.equals(summary.expectedStateRoot, root);
        if (divergence) {
            divergences.inc();
            LOG.error("DIVERGENCE chain {} height {}: state root {} but the header expects {}", summary.chainId,
                    summary.height, Bytes.hex(root), Bytes.hex(summary.expectedStateRoot));
        }
        BlockResult result = BlockResult.newBuilder()
                .setChainId(summary.chainId)
                .setHeight(summary.height)
                .setBlockId(Bytes.wrap(summary.blockId))
                .setAccepted(summary.accepted)
                .setRejectedRule(summary.accepted ? null : summary.rule)
                .setRejectedReason(summary.accepted ? null : summary.reason)
                .setBlockHash(blockHash == null ? null : Bytes.wrap(blockHash))
                .setStateRoot(Bytes.wrap(root))
                .setReceiptsRoot(connectAccepted ? Bytes.wrap(summary.receiptsRoot) : null)
                .setTxCount(summary.txCount)
                .setFees(summary.fees)
                .setDivergence(divergence)
                .setDisconnected(summary.disconnect)
                .setSequence(feedSeq.value())
                .build();
        long resultSequence = feedSeq.value();
        long next = resultSequence + 1;
        byte[] encodedResult = AvroSingleObject.BLOCK_RESULT.encode(result);
        byte[] receipts = summary.accepted ? (leaves != null ? summary.receiptLeaves : summary.receipts) : null;
        FeedBatch.Builder batch = new FeedBatch.Builder(summary.chainId, encodedResult.length
                + (summary.changes == null ? 0 : 2 * summary.changes.length)
                + (receipts == null ? 0 : receipts.length + (48 + summary.chainId.length()) * summary.txCount));
        batch.add(Topic.BLOCK_RESULTS, encodedResult);
        if (summary.accepted) {
            byte[] diffBlock = blockHash != null ? blockHash : summary.blockId;
            next = encoder.diffs(batch, summary.chainId, summary.height, diffBlock, ChangeCodec.decode(summary.changes),
                    summary.disconnect, next, resultSequence);
            if (leaves != null) {
                for (byte[] leaf : leaves) {
                    encoder.receiptFromLeaf(batch, summary.chainId, summary.height, leaf, next++, resultSequence);
                }
            } else {
                for (byte[] r : Blobs.unpack(receipts)) { // a VERSION 1 summary restored from a snapshot
                    encoder.receipt(batch, r, next++, resultSequence);
                }
            }
        }
        out.collect(batch.build());
        feedSeq.update(next);
        trackTip(summary, blockHash, root);
        committed.inc();
        lastHeight = summary.height;
        lastLatencyMillis = (System.nanoTime() - summary.receivedAtNanos) / 1e6;
    }
}
