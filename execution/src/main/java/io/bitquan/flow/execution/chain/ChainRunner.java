package io.bitquan.flow.execution.chain;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateStore;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A node's chain state machine without Flink: checks each block against the tip, prepares it
 * (decode, signatures), executes it with the configured engine, commits accepted blocks to the
 * store, keeps the LtHash and an undo window, and reports what happened. A rejected block leaves
 * store, lattice and tip exactly as they were, so the next block at that height applies on top.
 * Single-threaded; the engine and the preparer may use threads internally.
 */
public final class ChainRunner {
    public static final int DEFAULT_UNDO_WINDOW = 100;

    private final ChainConfig config;
    private final StateStore store;
    private final ExecutionEngine engine;
    private final BlockPreparer preparer;
    private final LtHash lattice;
    private final Deque<UndoRecord> undo = new ArrayDeque<>();
    private final int undoWindow;
    private long tipHeight;
    private byte[] tipId;

    /** Starts from genesis: loads the genesis state into the (empty) store. */
    public ChainRunner(ChainConfig config, StateStore store, ExecutionEngine engine, BlockPreparer preparer) {
        this(config, store, engine, preparer, DEFAULT_UNDO_WINDOW);
    }

    public ChainRunner(ChainConfig config, StateStore store, ExecutionEngine engine, BlockPreparer preparer, int undoWindow) {
        this.config = config;
        this.store = store;
        this.engine = engine;
        this.preparer = preparer;
        this.undoWindow = undoWindow;
        this.lattice = new LtHash();
        for (StateChange change : store.apply(config.genesisWrites())) {
            lattice.apply(change);
        }
        this.tipHeight = 0;
        this.tipId = config.genesisId();
    }

    public BlockReport process(ChainEvent event) {
        Object e = event.getEvent();
        if (e instanceof BlockConnected connected) {
            return connect(connected.getBlock());
        }
        return disconnect((BlockDisconnected) e);
    }

    public BlockReport connect(Block block) {
        BlockHeader header = block.getHeader();
        byte[] headerId = BlockHashes.headerId(header);
        long height = header.getHeight();
        if (height != tipHeight + 1) {
            return rejected(height, headerId, new RuleViolation(Rule.HEADER_HEIGHT,
                    "block height " + height + " does not extend tip " + tipHeight), block);
        }
        if (!Arrays.equals(Bytes.of(header.getParentHash()), tipId)) {
            return rejected(height, headerId, new RuleViolation(Rule.HEADER_PARENT,
                    "parent " + Bytes.hex(Bytes.of(header.getParentHash())) + " is not the tip " + Bytes.hex(tipId)), block);
        }
        List<PreparedTx> txs = BlockPreparer.decode(block);
        RuleViolation violation = BlockRules.checkStructure(block, txs, config);
        if (violation == null) {
            violation = preparer.verifySignatures(txs, config.chainId(), config.scheme());
        }
        if (violation != null) {
            return rejected(height, headerId, violation, block);
        }
        BlockContext context = new BlockContext(config, height, header.getTimestamp());
        BlockOutput output = engine.execute(context, txs, store);
        if (!output.accepted()) {
            return rejected(height, headerId, output.violation(), block, output.stats());
        }
        return commit(header, headerId, txs, output);
    }

    private BlockReport commit(BlockHeader header, byte[] headerId, List<PreparedTx> txs, BlockOutput output) {
        List<StateChange> changes = StateChange.effective(store.apply(output.writes()));
        lattice.add(CommitmentDelta.of(changes, preparer.pool()));
        undo.addLast(new UndoRecord(header.getHeight(), headerId, tipId, changes));
        while (undo.size() > undoWindow) {
            undo.removeFirst();
        }
        tipHeight = header.getHeight();
        tipId = headerId;
        List<Receipt> receipts = Receipts.of(header, txs, output.outcomes());
        byte[] stateRoot = lattice.root();
        byte[] receiptsRoot = BlockHashes.receiptsRoot(receipts);
        byte[] blockHash = BlockHashes.blockHash(headerId, stateRoot, receiptsRoot);
        boolean divergence = header.getExpectedStateRoot() != null
                && !Arrays.equals(Bytes.of(header.getExpectedStateRoot()), stateRoot);
        return new BlockReport(header.getChainId(), header.getHeight(), headerId, true, null, stateRoot, blockHash,
                receiptsRoot, receipts, changes, output.fees(), txs.size(), divergence, false, output.stats());
    }

    /** Disconnects the tip using its undo record; deeper reorgs need a savepoint restore. */
    public BlockReport disconnect(BlockDisconnected event) {
        byte[] id = Bytes.of(event.getBlockId());
        if (event.getHeight() != tipHeight || !Arrays.equals(id, tipId)) {
            return disconnectRejected(event, new RuleViolation(Rule.DISCONNECT_NOT_TIP,
                    "block " + event.getHeight() + " " + Bytes.hex(id) + " is not the tip " + tipHeight));
        }
        if (undo.isEmpty()) {
            return disconnectRejected(event, new RuleViolation(Rule.DISCONNECT_BEYOND_WINDOW,
                    "no undo record for block " + tipHeight + " (window " + undoWindow + "): restore from a savepoint"));
        }
        UndoRecord record = undo.removeLast();
        List<StateWrite> writes = new ArrayList<>(record.changes().size());
        List<StateChange> reverted = new ArrayList<>(record.changes().size());
        for (StateChange change : record.changes()) {
            writes.add(new StateWrite(change.key(), change.oldValue()));
            reverted.add(change.inverse());
            lattice.apply(change.inverse());
        }
        store.apply(writes);
        tipHeight = record.height() - 1;
        tipId = record.parentId();
        return new BlockReport(config.chainId(), record.height(), record.headerId(), true, null, lattice.root(), null,
                null, List.of(), reverted, 0, 0, false, true, ExecutionStats.NONE);
    }

    private BlockReport disconnectRejected(BlockDisconnected event, RuleViolation violation) {
        return new BlockReport(event.getChainId(), event.getHeight(), Bytes.of(event.getBlockId()), false, violation,
                lattice.root(), null, null, List.of(), List.of(), 0, 0, false, true, ExecutionStats.NONE);
    }

    private BlockReport rejected(long height, byte[] headerId, RuleViolation violation, Block block) {
        return rejected(height, headerId, violation, block, ExecutionStats.NONE);
    }

    private BlockReport rejected(long height, byte[] headerId, RuleViolation violation, Block block, ExecutionStats stats) {
        return new BlockReport(block.getHeader().getChainId(), height, headerId, false, violation, lattice.root(), null,
                null, List.of(), List.of(), 0, block.getTransactions().size(), false, false, stats);
    }

    public byte[] stateRoot() {
        return lattice.root();
    }

    public LtHash lattice() {
        return lattice.copy();
    }

    public long tipHeight() {
        return tipHeight;
    }

    public byte[] tipId() {
        return tipId.clone();
    }

    public StateStore store() {
        return store;
    }
}
