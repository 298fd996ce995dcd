package io.bitquan.flow.execution.chain;

import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateStore;
import io.bitquan.flow.model.avro.Receipt;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A node without Flink: the {@link ChainCore} over an in-memory {@link ChainStore}, plus the
 * state commitment (LtHash) and the block hash every report carries. All chain decisions
 * (tip, forks, gaps, malleated bodies, invalid marking, undo) are the core's; this class only
 * turns them into reports. Single-threaded; engine and preparer may use threads internally
 * ({@link #processAhead}: the preparer's pool verifies the next block while this thread runs one).
 */
public final class ChainRunner {
    public static final int DEFAULT_UNDO_WINDOW = ChainLimits.DEFAULT_UNDO_WINDOW;

    private final ChainConfig config;
    private final StateStore store;
    private final BlockPreparer preparer;
    private final ChainCore core;
    private final LtHash lattice = new LtHash();
    /** The next feed sequence number (numbered as the job's committer numbers its records). */
    private long feedSequence;
    /** Wall time in the commitment (LtHash delta of each block's changes; measurement only). */
    private long commitmentNanos;

    /** Starts from genesis: loads the genesis state into the (empty) store. */
    public ChainRunner(ChainConfig config, StateStore store, ExecutionEngine engine, BlockPreparer preparer) {
        this(config, store, engine, preparer, ChainLimits.defaults());
    }

    public ChainRunner(ChainConfig config, StateStore store, ExecutionEngine engine, BlockPreparer preparer, int undoWindow) {
        this(config, store, engine, preparer, ChainLimits.withUndoWindow(undoWindow));
    }

    public ChainRunner(ChainConfig config, StateStore store, ExecutionEngine engine, BlockPreparer preparer, ChainLimits limits) {
        this.config = config;
        this.store = store;
        this.preparer = preparer;
        this.core = new ChainCore(config, new MemoryChainStore(store), engine, limits,
                payload -> new BlockCandidate(BlockCandidate.decode(payload), preparer, config));
        for (StateChange change : core.initialize()) {
            lattice.apply(change);
        }
    }

    /** The report about this event's own block (when it also released others, see {@link #processAll}). */
    public BlockReport process(ChainEvent event) {
        List<BlockReport> reports = processAll(event);
        byte[] id = eventBlockId(event);
        for (int i = reports.size() - 1; i >= 0; i--) {
            if (Arrays.equals(reports.get(i).headerId(), id)) {
                return reports.get(i);
            }
        }
        return reports.get(reports.size() - 1);
    }

    /** Every block this event decided, in order (a connect may release stored blocks or evict some). */
    public List<BlockReport> processAll(ChainEvent event) {
        if (event.getEvent() instanceof BlockConnected connected) {
            return connectAll(connected.getBlock());
        }
        BlockDisconnected d = (BlockDisconnected) event.getEvent();
        return List.of(report(core.disconnect(d.getHeight(), Bytes.of(d.getBlockId()))));
    }

    /**
     * Every event in order, each exactly as {@link #processAll} would decide it, with the next
     * block's decode and signature checks started on the preparer's pool before this event is
     * processed ({@link BlockPreparer#prepareAhead}): a node's pipeline, block N+1 verified while
     * block N executes, commits and hashes, instead of the pool idling through those serial steps.
     * The reports, roots and the assume-valid count are the same as event by event (the verdict is
     * the lowest failing index however and whenever it is computed); only the wall time changes.
     * The CPU cost: a block prepared ahead and then never asked for (stored, a duplicate) was
     * checked for nothing, as a node that verifies on receipt would.
     *
     * @param reports gets each event's reports, in event order
     */
    public void processAhead(List<ChainEvent> events, java.util.function.Consumer<List<BlockReport>> reports) {
        if (!events.isEmpty()) {
            prepareAhead(events.get(0));
        }
        for (int i = 0; i < events.size(); i++) {
            if (i + 1 < events.size()) {
                prepareAhead(events.get(i + 1));
            }
            reports.accept(processAll(events.get(i)));
        }
    }

    private void prepareAhead(ChainEvent event) {
        if (event.getEvent() instanceof BlockConnected connected) {
            preparer.prepareAhead(connected.getBlock(), config.chainId(), config.scheme());
        }
    }

    public BlockReport connect(Block block) {
        return process(ChainEvent.newBuilder().setEvent(BlockConnected.newBuilder().setBlock(block).build()).build());
    }

    public List<BlockReport> connectAll(Block block) {
        List<BlockReport> reports = new ArrayList<>();
        for (ChainDecision d : core.connect(new BlockCandidate(block, preparer, config))) {
            reports.add(report(d));
        }
        return reports;
    }

    public BlockReport disconnect(BlockDisconnected event) {
        return report(core.disconnect(event.getHeight(), Bytes.of(event.getBlockId())));
    }

    private static byte[] eventBlockId(ChainEvent event) {
        if (event.getEvent() instanceof BlockConnected connected) {
            return BlockHashes.headerId(connected.getBlock().getHeader());
        }
        return Bytes.of(((BlockDisconnected) event.getEvent()).getBlockId());
    }

    private BlockReport report(ChainDecision decision) {
        BlockReport r = unnumbered(decision);
        if (!r.feeds()) {
            return r;
        }
        long sequence = feedSequence;
        feedSequence += 1 + r.changes().size() + r.receipts().size();
        return new BlockReport(r.chainId(), r.height(), r.headerId(), r.accepted(), r.violation(), r.stateRoot(),
                r.blockHash(), r.receiptsRoot(), r.receipts(), r.changes(), r.fees(), r.txCount(), r.divergence(),
                r.disconnect(), r.stats(), r.status(), r.note(), sequence);
    }

    private BlockReport unnumbered(ChainDecision decision) {
        String chainId = config.chainId();
        if (decision instanceof ChainDecision.Connected c) {
            long t0 = System.nanoTime();
            lattice.add(CommitmentDelta.of(c.changes(), preparer.pool()));
            commitmentNanos += System.nanoTime() - t0;
            BlockHeader header = c.header();
            byte[] stateRoot = lattice.root();
            List<Receipt> receipts = c.receipts();
            byte[] receiptsRoot = BlockHashes.receiptsRoot(receipts);
            byte[] blockHash = BlockHashes.blockHash(c.headerId(), stateRoot, receiptsRoot);
            boolean divergence = header.getExpectedStateRoot() != null
                    && !Arrays.equals(Bytes.of(header.getExpectedStateRoot()), stateRoot);
            return new BlockReport(header.getChainId(), header.getHeight(), c.headerId(), true, null, stateRoot, blockHash,
                    receiptsRoot, receipts, c.changes(), c.output().fees(), c.txs().size(), divergence, false,
                    c.output().stats(), BlockReport.Status.CONNECTED, null, -1);
        }
        if (decision instanceof ChainDecision.Disconnected d) {
            lattice.add(CommitmentDelta.of(d.reverted(), preparer.pool()));
            return new BlockReport(chainId, d.height(), d.headerId(), true, null, lattice.root(), null, null, List.of(),
                    d.reverted(), 0, 0, false, true, ExecutionStats.NONE, BlockReport.Status.DISCONNECTED, null, -1);
        }
        if (decision instanceof ChainDecision.Rejected rej) {
            return new BlockReport(rej.chainId(), rej.height(), rej.headerId(), false, rej.violation(),
                    lattice.root(), null, null, List.of(), List.of(), 0, rej.txCount(), false, rej.disconnect(), rej.stats(),
                    rej.disconnect() ? BlockReport.Status.DISCONNECT_REJECTED : BlockReport.Status.REJECTED,
                    rej.condemned() ? "header invalid" : null, -1);
        }
        if (decision instanceof ChainDecision.Stored s) {
            return new BlockReport(chainId, s.height(), s.headerId(), false, null, lattice.root(),
                    null, null, List.of(), List.of(), 0, 0, false, false, ExecutionStats.NONE, BlockReport.Status.STORED, s.why(), -1);
        }
        return new BlockReport(chainId, decision.height(), decision.headerId(), false, null,
                lattice.root(), null, null, List.of(), List.of(), 0, 0, false, false, ExecutionStats.NONE,
                BlockReport.Status.DUPLICATE, null, -1);
    }

    /** Wall nanoseconds spent on connected blocks' commitment deltas so far (measurement only). */
    public long commitmentNanos() {
        return commitmentNanos;
    }

    public byte[] stateRoot() {
        return lattice.root();
    }

    public LtHash lattice() {
        return lattice.copy();
    }

    public long tipHeight() {
        return core.tip().height();
    }

    public byte[] tipId() {
        return core.tip().id().clone();
    }

    /** Blocks held unapplied now (gaps and side branches), and their bytes. */
    public int storedBlocks() {
        return core.tip().storedCount();
    }

    public long storedBytes() {
        return core.tip().storedBytes();
    }

    /** The chain core (tests offer it candidates directly). */
    ChainCore core() {
        return core;
    }

    public StateStore store() {
        return store;
    }
}
