package io.bitquan.flow.execution.chain;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The one chain state machine, without Flink: the block index, the tip, connect, disconnect,
 * undo records and the reject decisions. ChainRunner ({@code execute}) and the Flink executor
 * both delegate here; they differ only in the {@link ChainStore} behind it and in how a body is
 * prepared (signatures verified here on demand, or by the job's parallel preparers).
 *
 * <pre>
 * connect(B) ─┬─ B active ───────────────────────────────────► Duplicate
 *             ├─ B known invalid ────────────────────────────► Rejected (its rule)
 *             ├─ parent = tip ─► apply ─┬─ body ≠ header ────► Rejected, header NOT condemned
 *             │                         ├─ consensus rule ───► Rejected, B (+ stored children) INVALID
 *             │                         └─ ok ─► Connected, then blocks that waited for B apply
 *             ├─ parent invalid ─────────────────────────────► Rejected, B INVALID
 *             ├─ parent stored, its stored ancestors reach the tip
 *             │                     ─► that branch applies, oldest first, then B
 *             ├─ parent known (active below the tip, side) ──► Stored (side branch)
 *             ├─ parent unknown, height > tip + 1 ───────────► Stored (waits for the gap)
 *             └─ parent unknown otherwise ───────────────────► Rejected header-parent
 * disconnect(h, id) ─┬─ id = tip, undo record ─► Disconnected (state, tip follow)
 *                    ├─ id = tip, no undo ─────► Rejected disconnect-beyond-window (names reorg-restore)
 *                    └─ otherwise ─────────────► Rejected disconnect-not-tip (nothing changes)
 * </pre>
 * Stored blocks are bounded by count and bytes; beyond that the oldest arrival is dropped with a
 * Rejected decision. Nothing depends on a clock, thread timing or map iteration order.
 */
public final class ChainCore {
    /** Index entries this far below the tip are forgotten (checked every PRUNE_EVERY heights). */
    private static final int PRUNE_EVERY = 64;

    private final ChainConfig config;
    private final ChainStore store;
    private final ExecutionEngine engine;
    private final ChainLimits limits;
    private final Function<byte[], Candidate> decoder;

    /** @param decoder turns a stored payload back into a candidate (the caller's own encoding) */
    public ChainCore(ChainConfig config, ChainStore store, ExecutionEngine engine, ChainLimits limits,
                     Function<byte[], Candidate> decoder) {
        this.config = config;
        this.store = store;
        this.engine = engine;
        this.limits = limits;
        this.decoder = decoder;
    }

    /** Loads genesis on first use; returns the genesis changes (empty when already loaded). */
    public List<StateChange> initialize() {
        if (store.tip() != null) {
            return List.of();
        }
        List<StateChange> changes = store.state().apply(config.genesisWrites());
        store.tip(new ChainTip(0, config.genesisId(), 0, 0, 0));
        store.putEntry(config.genesisId(), IndexEntry.active(0, new byte[32]));
        return changes;
    }

    public ChainTip tip() {
        return store.tip();
    }

    public ChainLimits limits() {
        return limits;
    }

    public List<ChainDecision> connect(Candidate block) {
        List<ChainDecision> out = new ArrayList<>();
        connect(block, out);
        return out;
    }

    private void connect(Candidate c, List<ChainDecision> out) {
        BlockHeader header = c.header();
        byte[] id = c.headerId();
        long height = header.getHeight();
        byte[] parent = Bytes.of(header.getParentHash());
        ChainTip tip = store.tip();
        IndexEntry known = store.entry(id);
        if (known != null && known.status() == IndexEntry.Status.ACTIVE) {
            out.add(new ChainDecision.Duplicate(height, id));
            return;
        }
        if (known != null && known.status() == IndexEntry.Status.INVALID) {
            out.add(rejected(c, new RuleViolation(known.rule(), "block " + Bytes.hex(id) + " was found invalid before: "
                    + known.reason()), ExecutionStats.NONE, false));
            return;
        }
        if (Arrays.equals(parent, tip.id())) {
            dropStored(id); // a stored sibling sent again after the tip moved back: it applies now
            applyAndRelease(c, out);
            return;
        }
        IndexEntry parentEntry = store.entry(parent);
        if (parentEntry != null && parentEntry.status() == IndexEntry.Status.INVALID) {
            dropStored(id);
            condemn(c, new RuleViolation(Rule.HEADER_PARENT, "parent " + Bytes.hex(parent) + " is invalid ("
                    + parentEntry.rule().id() + ")"), ExecutionStats.NONE, out);
            return;
        }
        if (height <= tip.height() - limits.undoWindow()) {
            out.add(rejected(c, new RuleViolation(Rule.HEADER_HEIGHT, "block height " + height + " is below the undo window"
                    + " of tip " + tip.height() + " (window " + limits.undoWindow() + ")"), ExecutionStats.NONE, false));
            return;
        }
        if (parentEntry != null && height != parentEntry.height() + 1) {
            condemn(c, new RuleViolation(Rule.HEADER_HEIGHT, "block height " + height + " does not follow its parent's "
                    + parentEntry.height()), ExecutionStats.NONE, out);
            return;
        }
        StoredBlock parentStored = store.stored(parent);
        if (parentStored != null) {
            List<byte[]> branch = storedBranch(parent);
            if (branch != null) {
                // A reorg onto a branch seen earlier: its stored blocks apply from the tip up,
                // then this block; if one of them fails, this block is routed again.
                for (byte[] next : branch) {
                    StoredBlock s = store.stored(next);
                    if (s == null) {
                        continue; // released by its parent (it had waited for it)
                    }
                    if (!Arrays.equals(s.parentId(), store.tip().id())) {
                        break;
                    }
                    applyStored(next, out);
                }
                if (Arrays.equals(store.tip().id(), parent)) {
                    applyAndRelease(c, out);
                } else {
                    connect(c, out);
                }
                return;
            }
            // continues a gap (waits like its parent) or a side branch (stays one)
            store(c, parentStored.waiting(), (parentStored.waiting() ? "waiting for parent " : "side branch off stored ")
                    + Bytes.hex(parent), out);
            return;
        }
        if (parentEntry != null) {
            store(c, false, "side branch off " + Bytes.hex(parent) + " (tip is " + tip.height() + " " + Bytes.hex(tip.id()) + ")", out);
            return;
        }
        if (height > tip.height() + 1) {
            store(c, true, "waiting for parent " + Bytes.hex(parent) + " (gap above tip " + tip.height() + ")", out);
            return;
        }
        out.add(rejected(c, new RuleViolation(Rule.HEADER_PARENT, "parent " + Bytes.hex(parent) + " is not the tip "
                + Bytes.hex(tip.id()) + " and is unknown"), ExecutionStats.NONE, false));
    }

    /** Stored ancestors from the one whose parent is the tip down to {@code id}; null if they don't reach it. */
    private List<byte[]> storedBranch(byte[] id) {
        List<byte[]> branch = new ArrayList<>();
        byte[] cursor = id;
        byte[] tipId = store.tip().id();
        for (int i = 0; i <= limits.maxStoredBlocks(); i++) {
            StoredBlock s = store.stored(cursor);
            if (s == null) {
                return null;
            }
            branch.add(0, cursor);
            if (Arrays.equals(s.parentId(), tipId)) {
                return branch;
            }
            cursor = s.parentId();
        }
        return null;
    }

    /** Applies a stored block (removing it from the store), then its stored descendants. */
    private void applyStored(byte[] id, List<ChainDecision> out) {
        Candidate c = decoder.apply(store.storedBody(id));
        dropStored(id);
        applyAndRelease(c, out);
    }

    private void applyAndRelease(Candidate first, List<ChainDecision> out) {
        Candidate c = first;
        while (c != null) {
            ChainDecision d = apply(c, out);
            if (!(d instanceof ChainDecision.Connected)) {
                return;
            }
            byte[] child = oldestStoredChild(c.headerId());
            if (child == null) {
                return;
            }
            c = decoder.apply(store.storedBody(child));
            dropStored(child);
        }
    }

    /** The oldest block that waited for this parent (side-branch blocks are not released by a guess). */
    private byte[] oldestStoredChild(byte[] parent) {
        return storedChildren(parent).stream().filter(id -> store.stored(id).waiting()).findFirst().orElse(null);
    }

    private List<byte[]> storedChildren(byte[] parent) {
        List<byte[]> children = new ArrayList<>();
        for (byte[] id : store.storedIds()) {
            if (Arrays.equals(store.stored(id).parentId(), parent)) {
                children.add(id);
            }
        }
        children.sort(Comparator.comparingLong(id -> store.stored(id).arrival()));
        return children;
    }

    /** Checks and executes a block whose parent is the tip; commits it if valid. */
    private ChainDecision apply(Candidate c, List<ChainDecision> out) {
        BlockHeader header = c.header();
        ChainTip tip = store.tip();
        long height = header.getHeight();
        if (height != tip.height() + 1) {
            return condemn(c, new RuleViolation(Rule.HEADER_HEIGHT, "block height " + height + " does not extend tip "
                    + tip.height()), ExecutionStats.NONE, out);
        }
        PreparedBody body;
        try {
            body = c.body();
        } catch (RuntimeException e) {
            return reject(c, new RuleViolation(Rule.TX_MALFORMED, "body cannot be decoded: " + e.getClass().getSimpleName()), out);
        }
        if (body.decodeViolation() != null) {
            return reject(c, body.decodeViolation(), out);
        }
        if (body.capViolation() != null) {
            return body.capBodyMatchesHeader() ? condemn(c, body.capViolation(), ExecutionStats.NONE, out)
                    : reject(c, body.capViolation(), out);
        }
        List<PreparedTx> txs = body.txs();
        List<Transaction> transactions = new ArrayList<>(txs.size());
        for (PreparedTx tx : txs) {
            transactions.add(tx.tx());
        }
        Block block = Block.newBuilder().setHeader(header).setTransactions(transactions).build();
        RuleViolation violation = BlockRules.checkStructure(block, txs, config, body.txRoot(), body.capsChecked());
        if (violation != null) {
            // Only a body that matches the header's tx root speaks for the header.
            return bodyMatchesHeader(header, txs, body.txRoot()) ? condemn(c, violation, ExecutionStats.NONE, out)
                    : reject(c, violation, out);
        }
        violation = body.signatures().get();
        if (violation != null) {
            return condemn(c, violation, ExecutionStats.NONE, out);
        }
        BlockOutput output;
        try {
            output = engine.execute(new BlockContext(config, height, header.getTimestamp()), txs, store.executionView(body));
        } catch (IllegalStateException | UnsupportedOperationException notAboutTheInput) {
            throw notAboutTheInput; // a broken store or engine invariant: fail the task, never skip a block
        } catch (RuntimeException e) {
            // Execution threw on this block's content: nothing was written yet (writes apply
            // below), so rejecting leaves the state as it was. Not condemned: it may be ours.
            return reject(c, new RuleViolation(Rule.TX_MALFORMED, "block execution failed: " + e.getClass().getName()), out);
        }
        if (!output.accepted()) {
            return condemn(c, output.violation(), output.stats(), out);
        }
        store.executed(txs, output);
        return commit(c, txs, output, out);
    }

    /** @param txRoot the body's tx root when its preparer computed it, else null (hashed here) */
    private static boolean bodyMatchesHeader(BlockHeader header, List<PreparedTx> txs, byte[] txRoot) {
        return Arrays.equals(txRoot != null ? txRoot : BlockRules.txRoot(txs), Bytes.of(header.getTxRoot()));
    }

    private ChainDecision commit(Candidate c, List<PreparedTx> txs, BlockOutput output, List<ChainDecision> out) {
        BlockHeader header = c.header();
        long height = header.getHeight();
        ChainTip tip = store.tip();
        List<StateChange> changes = StateChange.effective(store.state().apply(output.writes()));
        store.putUndo(new UndoRecord(height, c.headerId(), tip.id(), changes));
        store.removeUndo(height - limits.undoWindow());
        store.putEntry(c.headerId(), IndexEntry.active(height, tip.id()));
        store.tip(tip.withTip(height, c.headerId()));
        ChainDecision d = new ChainDecision.Connected(header, c.headerId(), txs, output, changes);
        out.add(d);
        if (height % PRUNE_EVERY == 0) {
            prune(height, out);
        }
        return d;
    }

    public ChainDecision disconnect(long height, byte[] id) {
        ChainTip tip = store.tip();
        if (height == tip.height() && Arrays.equals(id, tip.id())) {
            UndoRecord record = store.undo(height);
            if (record == null || !Arrays.equals(record.headerId(), id)) {
                return disconnectRejected(height, id, new RuleViolation(Rule.DISCONNECT_BEYOND_WINDOW,
                        "no undo record for block " + height + " " + Bytes.hex(id) + ": the reorg is deeper than the undo window ("
                                + limits.undoWindow() + " blocks); restore from a savepoint: bitquan-flow reorg-restore"
                                + " --fork-height " + (height - 1) + " ..."));
            }
            List<StateWrite> writes = new ArrayList<>(record.changes().size());
            List<StateChange> reverted = new ArrayList<>(record.changes().size());
            for (StateChange change : record.changes()) {
                writes.add(new StateWrite(change.key(), change.oldValue()));
                reverted.add(change.inverse());
            }
            store.state().apply(writes);
            store.removeUndo(height);
            store.putEntry(id, new IndexEntry(height, record.parentId(), IndexEntry.Status.SIDE, null, null));
            store.tip(tip.withTip(height - 1, record.parentId()));
            return new ChainDecision.Disconnected(height, id, record.parentId(), reverted);
        }
        IndexEntry known = store.entry(id);
        String what;
        if (known != null && known.status() == IndexEntry.Status.ACTIVE) {
            what = "is on the active chain below the tip: disconnect the blocks above it first";
        } else if (store.stored(id) != null) {
            what = "was never connected (it is stored: " + (known == null ? "waiting or side branch" : "side branch") + ")";
        } else if (known != null) {
            what = "is not on the active chain (" + known.status().name().toLowerCase() + ")";
        } else {
            what = "is unknown";
        }
        return disconnectRejected(height, id, new RuleViolation(Rule.DISCONNECT_NOT_TIP, "block " + height + " "
                + Bytes.hex(id) + " " + what + "; the tip is " + tip.height() + " " + Bytes.hex(tip.id())));
    }

    private ChainDecision disconnectRejected(long height, byte[] id, RuleViolation v) {
        return new ChainDecision.Rejected(config.chainId(), height, id, v, 0, ExecutionStats.NONE, true, false);
    }

    private ChainDecision reject(Candidate c, RuleViolation v, List<ChainDecision> out) {
        ChainDecision d = rejected(c, v, ExecutionStats.NONE, false);
        out.add(d);
        return d;
    }

    private ChainDecision.Rejected rejected(Candidate c, RuleViolation v, ExecutionStats stats, boolean condemned) {
        return new ChainDecision.Rejected(c.header().getChainId(), c.header().getHeight(), c.headerId(), v, c.txCount(),
                stats, false, condemned);
    }

    /** Marks the block invalid by consensus, and every stored descendant with it. */
    private ChainDecision condemn(Candidate c, RuleViolation v, ExecutionStats stats, List<ChainDecision> out) {
        BlockHeader header = c.header();
        store.putEntry(c.headerId(), new IndexEntry(header.getHeight(), Bytes.of(header.getParentHash()),
                IndexEntry.Status.INVALID, v.rule(), v.getMessage()));
        ChainDecision d = rejected(c, v, stats, true);
        out.add(d);
        for (byte[] child : storedChildren(c.headerId())) {
            Candidate cc = decoder.apply(store.storedBody(child));
            dropStored(child);
            condemn(cc, new RuleViolation(Rule.HEADER_PARENT, "parent " + Bytes.hex(c.headerId()) + " is invalid ("
                    + v.rule().id() + ")"), ExecutionStats.NONE, out);
        }
        return d;
    }

    private void store(Candidate c, boolean waiting, String why, List<ChainDecision> out) {
        byte[] id = c.headerId();
        if (store.stored(id) != null) {
            out.add(new ChainDecision.Stored(c.header().getHeight(), id, Bytes.of(c.header().getParentHash()), why));
            return;
        }
        byte[] payload = c.payload();
        ChainTip tip = store.tip();
        store.putStored(id, new StoredBlock(c.header().getHeight(), Bytes.of(c.header().getParentHash()), tip.arrivals(),
                payload.length, waiting), payload);
        store.tip(tip.nextArrival().withStored(tip.storedCount() + 1, tip.storedBytes() + payload.length));
        out.add(new ChainDecision.Stored(c.header().getHeight(), id, Bytes.of(c.header().getParentHash()), why));
        evictBeyondLimits(out);
    }

    private void evictBeyondLimits(List<ChainDecision> out) {
        while (store.tip().storedCount() > limits.maxStoredBlocks() || store.tip().storedBytes() > limits.maxStoredBytes()) {
            ChainTip tip = store.tip();
            byte[] oldest = null;
            long oldestArrival = Long.MAX_VALUE;
            for (byte[] id : store.storedIds()) {
                long arrival = store.stored(id).arrival();
                if (arrival < oldestArrival) {
                    oldestArrival = arrival;
                    oldest = id;
                }
            }
            if (oldest == null) {
                return;
            }
            Candidate c = decoder.apply(store.storedBody(oldest));
            dropStored(oldest);
            out.add(rejected(c, new RuleViolation(Rule.HEADER_PARENT, "dropped from the block store unapplied (parent "
                    + Bytes.hex(Bytes.of(c.header().getParentHash())) + " never became the tip; store held "
                    + tip.storedCount() + " blocks / " + tip.storedBytes() + " bytes, limits " + limits.maxStoredBlocks()
                    + " / " + limits.maxStoredBytes() + ")"), ExecutionStats.NONE, false));
        }
    }

    private void dropStored(byte[] id) {
        StoredBlock s = store.stored(id);
        if (s == null) {
            return;
        }
        store.removeStored(id);
        ChainTip tip = store.tip();
        store.tip(tip.withStored(tip.storedCount() - 1, tip.storedBytes() - s.size()));
    }

    /** Forgets index entries (and stored blocks) that no reorg within the window can reach. */
    private void prune(long height, List<ChainDecision> out) {
        long floor = height - limits.undoWindow() - 1;
        for (byte[] id : store.entryIds()) {
            IndexEntry e = store.entry(id);
            if (e.height() < floor && e.height() > 0) {
                store.removeEntry(id);
            }
        }
        List<byte[]> stale = new ArrayList<>();
        for (byte[] id : store.storedIds()) {
            if (store.stored(id).height() < floor) {
                stale.add(id);
            }
        }
        stale.sort(Comparator.comparingLong(id -> store.stored(id).arrival()));
        for (byte[] id : stale) {
            Candidate c = decoder.apply(store.storedBody(id));
            dropStored(id);
            out.add(rejected(c, new RuleViolation(Rule.HEADER_HEIGHT, "dropped from the block store unapplied: height "
                    + c.header().getHeight() + " fell below the undo window of tip " + height), ExecutionStats.NONE, false));
        }
    }
}
