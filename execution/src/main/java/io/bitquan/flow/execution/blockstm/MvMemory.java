package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-version memory (paper, Algorithm 2, {@code MVMemory}): for every key the block touches,
 * one {@link VersionChain} (the key's interned identity for the block, its base value, and the
 * values written by each transaction, tagged with the incarnation, an ESTIMATE marker left by an
 * aborted incarnation, or a commutative credit).
 *
 * <p>Thread-safety contract:
 * <ul>
 *   <li>{@code chains}: lock-free table from key to chain ({@link ChainTable}), one lookup per key per incarnation;
 *       the entry of transaction {@code i} in a chain is written only by the thread that
 *       currently owns {@code i} (the executor of its running incarnation, or the validator that
 *       just aborted it). The scheduler's status CAS hands that ownership over, so there is never
 *       more than one writer per (key, i). Visibility: see {@link VersionChain}.</li>
 *   <li>{@code lastWritten[i]}, {@code lastReads[i]}: written by the owner of {@code i} in
 *       {@link #record}, read by validators; published through the atomic arrays (volatile
 *       semantics), and never mutated afterwards.</li>
 * </ul>
 */
public final class MvMemory {

    /** The result of {@link #read}: the paper's OK / NOT_FOUND / READ_ERROR. */
    public enum ReadStatus { OK, NOT_FOUND, READ_ERROR }

    /**
     * @param txIndex for OK the writer, for READ_ERROR the blocking transaction, else -1
     * @param value   for OK the value read ({@code null} = deleted)
     */
    public record ReadResult(ReadStatus status, int txIndex, int incarnation, StateValue value) {
        static final ReadResult NOT_FOUND = new ReadResult(ReadStatus.NOT_FOUND, -1, 0, null);
    }

    /**
     * One incarnation's reads, deduplicated per key: the chain, the key's write stamp loaded
     * before the read resolved ({@link #UNKNOWN_STAMP}: compare versions), the packed version
     * of the full value seen ({@link VersionChain#STORAGE} for base storage) and the credits
     * summed above it (-1 = none). Validation compares the stamp first and re-resolves only the
     * chains whose stamp moved, comparing version and credits: the paper's version comparison
     * extended to credits. Immutable once recorded.
     */
    static final class ReadSet {
        static final ReadSet EMPTY = new ReadSet(new VersionChain[0], new int[0], new long[0], new long[0]);

        final VersionChain[] chains;
        final int[] stamps;
        final long[] versions;
        final long[] sums;

        ReadSet(VersionChain[] chains, int[] stamps, long[] versions, long[] sums) {
            this.chains = chains;
            this.stamps = stamps;
            this.versions = versions;
            this.sums = sums;
        }
    }

    /** A logged stamp no chain ever has (stamps count up from 0): validation always resolves. */
    static final int UNKNOWN_STAMP = -1;

    /** The block's final write set plus the first credit that broke the money range, if any. */
    record FinalWrites(List<StateWrite> writes, int overflowTx, RuleViolation overflow) {}

    private static final VersionChain[] NO_CHAINS = new VersionChain[0];

    private final int blockSize;
    private final ChainTable chains;
    private final TxSlots<VersionChain[]> lastWritten;
    private final TxSlots<ReadSet> lastReads;

    public MvMemory(int blockSize) {
        this.blockSize = blockSize;
        this.chains = new ChainTable(blockSize * 4);
        this.lastWritten = new TxSlots<>(blockSize);
        this.lastReads = new TxSlots<>(blockSize);
    }

    public int blockSize() {
        return blockSize;
    }

    /** The key's chain, created on first touch (interning: every later access is by reference). */
    VersionChain chain(StateKey key) {
        return chains.chain(key);
    }

    /**
     * Records one finished incarnation: its reads and its writes (parallel arrays, one entry per
     * key). Writes of the previous incarnation that this one did not repeat are removed. Returns
     * the paper's {@code wrote_new_location}, narrowed: whether a key was written that the
     * previous incarnation did not write <em>and that a higher transaction has already read</em>
     * (only such a reader can have missed the write and passed validation; every later reader
     * sees it). The paper's wider rule made every first incarnation "write new locations": at 2
     * workers on 10,000 independent UTXO spends it caused ~17,000 validations instead of ~10,000.
     */
    boolean record(int tx, int incarnation, ReadSet reads, VersionChain[] written, VersionChain.Entry[] entries) {
        checkIndex(tx);
        for (int i = 0; i < written.length; i++) {
            int before = written[i].put(tx, entries[i]);
            ownWrite(reads, written[i], before);
        }
        // Orders the stores above before the loads of maxReader below (the readers' CAS on
        // maxReader comes before their loads of the entries: one side always sees the other).
        VarHandle.fullFence();
        VersionChain[] previous = lastWritten.get(tx);
        boolean wroteNew = false;
        if (previous != null) {
            for (VersionChain before : previous) {
                if (!containsRef(written, before)) {
                    before.remove(tx);
                }
            }
        }
        for (VersionChain now : written) {
            if ((previous == null || !containsRef(previous, now)) && now.readAbove(tx)) {
                wroteNew = true;
                break;
            }
        }
        lastWritten.set(tx, written.length == 0 ? NO_CHAINS : written);
        lastReads.set(tx, reads);
        return wroteNew;
    }

    /**
     * A key the incarnation read and then wrote: its own write bumped the stamp it logged, and
     * would make every validation walk the chain (measured: all of them did, since a transfer
     * writes its sender and a UTXO spend its inputs and outputs). If the stamp just before the
     * write is still the logged one, nothing else modified the key between the read and the
     * write (modifications hold the chain's stamp one at a time), and the write itself sits at this
     * transaction's own index, which a read of this transaction never sees: the logged stamp
     * moves past it. Otherwise the logged stamp stays and validation walks. The read set is not
     * yet published, so this thread owns it.
     */
    private static void ownWrite(ReadSet reads, VersionChain written, int before) {
        VersionChain[] chains = reads.chains;
        for (int j = 0; j < chains.length; j++) {
            if (chains[j] == written) {
                if (reads.stamps[j] == before) {
                    reads.stamps[j] = VersionChain.after(before);
                }
                return;
            }
        }
    }

    /** Write sets are small (1..4 keys for native transactions): a reference scan beats hashing. */
    private static boolean containsRef(VersionChain[] set, VersionChain c) {
        for (VersionChain x : set) {
            if (x == c) {
                return true;
            }
        }
        return false;
    }

    /** Tests: records full values and {@link ReadDescriptor}s (no credits). */
    public boolean record(Version version, ReadDescriptor[] reads, StateKey[] keys, StateValue[] values) {
        VersionChain[] rc = new VersionChain[reads.length];
        long[] rv = new long[reads.length];
        long[] rs = new long[reads.length];
        int[] st = new int[reads.length];
        java.util.Arrays.fill(st, UNKNOWN_STAMP);
        for (int i = 0; i < reads.length; i++) {
            rc[i] = chain(reads[i].key());
            rc[i].noteReader(version.txIndex());
            rv[i] = reads[i].fromStorage() ? VersionChain.STORAGE : VersionChain.pack(reads[i].txIndex(), reads[i].incarnation());
            rs[i] = -1;
        }
        VersionChain[] wc = new VersionChain[keys.length];
        VersionChain.Entry[] we = new VersionChain.Entry[keys.length];
        for (int i = 0; i < keys.length; i++) {
            wc[i] = chain(keys[i]);
            we[i] = VersionChain.Entry.value(version.incarnation(), values[i]);
        }
        return record(version.txIndex(), version.incarnation(), new ReadSet(rc, st, rv, rs), wc, we);
    }

    /**
     * Tests and diagnostics: the value transaction {@code txIndex} sees for {@code key} (credits
     * not applied): the write of the highest lower transaction, READ_ERROR if that write is an
     * ESTIMATE, NOT_FOUND if no lower transaction wrote the key.
     */
    public ReadResult read(StateKey key, int txIndex) {
        VersionChain versions = chains.find(key);
        if (versions == null) {
            return ReadResult.NOT_FOUND;
        }
        int[] writer = new int[1];
        VersionChain.Entry e = versions.lower(txIndex, writer);
        if (e == null) {
            return ReadResult.NOT_FOUND;
        }
        if (e.estimate()) {
            return new ReadResult(ReadStatus.READ_ERROR, writer[0], e.incarnation(), null);
        }
        return new ReadResult(ReadStatus.OK, writer[0], e.incarnation(), e.value());
    }

    /**
     * The paper's {@code validate_read_set}: every read of the last recorded incarnation of
     * {@code txIndex} would still resolve to the same version and the same credits. An ESTIMATE
     * fails validation. {@code scratch} is the caller's (no allocation).
     *
     * <p>Stamps first: a read whose key's stamp is the one logged needs no chain walk. Why that
     * is exactly as strict as the paper's check: a modification of a chain holds its stamp (odd)
     * while it stores and releases it two higher, so modifications are totally ordered and the
     * stamp counts them. The read logged the even stamp {@code s} of the stable state its resolve
     * saw (the resolve retries until the stamp is the same before and after it), so that resolve
     * saw every modification up to {@code s} and none after. A validation that loads
     * {@code s} again knows no modification started since (one in flight makes it odd);
     * the only ones it cannot see are those not yet started, whose writer has not yet reached
     * the scheduler operation that publishes them ({@code finish_execution}, or
     * {@code finish_validation} after an abort; both come after the release in program order, and the validations that must see a write are scheduled by
     * those operations, so they load a moved stamp and walk the chain). A validation racing an
     * unpublished write may pass where a chain walk would have failed; the paper's own
     * validation races the same way (it may read the chain just before the write lands). The
     * commit index relies on this too: when every lower transaction is committed, all their
     * modifications were bumped before they became final, so an unchanged stamp means the read
     * saw the final state below the reader. A moved stamp (possibly by a transaction above the
     * reader, which a walk ignores) falls back to the walk.
     */
    boolean validateReadSet(int txIndex, VersionChain.Resolved scratch) {
        ReadSet reads = lastReads.get(txIndex);
        if (reads == null) {
            throw new InvariantViolation("validate_read_set: tx " + txIndex + " has no recorded incarnation");
        }
        VersionChain[] chains = reads.chains;
        int[] stamps = reads.stamps;
        scratch.validatedReads += chains.length;
        for (int i = 0; i < chains.length; i++) {
            if (chains[i].stamp() == stamps[i]) {
                continue;
            }
            scratch.walkedReads++;
            chains[i].resolve(txIndex, scratch);
            if (scratch.blockedOn >= 0 || scratch.version != reads.versions[i] || scratch.sum != reads.sums[i]) {
                return false;
            }
        }
        return true;
    }

    public boolean validateReadSet(int txIndex) {
        return validateReadSet(txIndex, new VersionChain.Resolved());
    }

    /** The paper's {@code convert_writes_to_estimates}: marks every write of the aborted incarnation. */
    public void convertWritesToEstimates(int txIndex) {
        VersionChain[] written = lastWritten.get(txIndex);
        if (written == null) {
            throw new InvariantViolation("convert_writes_to_estimates: tx " + txIndex + " has no recorded incarnation");
        }
        for (VersionChain c : written) {
            c.markEstimate(txIndex);
        }
    }

    /** The keys the last recorded incarnation of {@code txIndex} wrote ({@code null} if none recorded). */
    public StateKey[] writtenKeys(int txIndex) {
        VersionChain[] written = lastWritten.get(txIndex);
        if (written == null) {
            return null;
        }
        StateKey[] keys = new StateKey[written.length];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = written[i].key;
        }
        return keys;
    }

    /** Tests: the final write set, sorted by key, over a storage that holds nothing. */
    public List<StateWrite> snapshot() {
        List<StateWrite> out = new ArrayList<>(finalWritesOf(0, blockSize, key -> null).writes());
        out.sort(null);
        return out;
    }

    /**
     * The part of the final write set whose last writer is in {@code [fromTx, toTx)}, unsorted:
     * every key is reported by exactly one transaction (its highest writer), so disjoint ranges
     * can be collected in parallel. A key that received credits is resolved in block order from
     * its base value, and the first credit whose sum leaves the money range is reported (the
     * sequential engine would have rejected the block there). Call only when no worker runs.
     */
    FinalWrites finalWritesOf(int fromTx, int toTx, StateView base) {
        List<StateWrite> out = new ArrayList<>((toTx - fromTx) * 3);
        VersionChain.Resolved scratch = new VersionChain.Resolved();
        int overflowTx = Integer.MAX_VALUE;
        RuleViolation overflow = null;
        for (int tx = fromTx; tx < toTx; tx++) {
            VersionChain[] written = lastWritten.get(tx);
            if (written == null) {
                continue;
            }
            for (VersionChain c : written) {
                VersionChain.Entry last = c.finalEntry();
                if (last == null || c.finalTx() != tx) {
                    continue;
                }
                if (last.estimate()) {
                    throw new InvariantViolation("final writes: key " + c.key + " still holds an ESTIMATE of tx "
                            + tx + " incarnation " + last.incarnation());
                }
                if (!c.hadDelta()) {
                    out.add(new StateWrite(c.key, last.value()));
                    continue;
                }
                if (!c.mayOverflow(base)) {
                    // The common case: resolve top-down through the credits above the last full value.
                    c.resolve(Integer.MAX_VALUE, scratch);
                    StateValue v = scratch.version == VersionChain.STORAGE ? c.base(base) : scratch.value;
                    out.add(new StateWrite(c.key, scratch.sum < 0 ? v
                            : AccountRules.credited(v == null ? AccountState.EMPTY : (AccountState) v, scratch.sum)));
                    continue;
                }
                CreditReplay replay = new CreditReplay(c.base(base));
                c.forEachLive(replay);
                out.add(new StateWrite(c.key, replay.value));
                if (replay.overflowTx < overflowTx) {
                    overflowTx = replay.overflowTx;
                    overflow = replay.overflow;
                }
            }
        }
        return new FinalWrites(out, overflow == null ? -1 : overflowTx, overflow);
    }

    /** Replays one key's versions in block order, applying credits exactly as the sequential engine would. */
    private static final class CreditReplay implements VersionChain.EntryVisitor {
        StateValue value;
        int overflowTx = Integer.MAX_VALUE;
        RuleViolation overflow;

        CreditReplay(StateValue base) {
            this.value = base;
        }

        @Override
        public void visit(int txIndex, VersionChain.Entry e) {
            if (e.kind() == VersionChain.Kind.VALUE) {
                value = e.value();
            } else if (e.kind() == VersionChain.Kind.DELTA && overflow == null) {
                try {
                    value = AccountRules.credited(value == null ? AccountState.EMPTY : (AccountState) value, e.delta());
                } catch (RuleViolation v) {
                    overflowTx = txIndex;
                    overflow = v;
                }
            }
        }
    }

    private void checkIndex(int tx) {
        if (tx < 0 || tx >= blockSize) {
            throw new InvariantViolation("tx index " + tx + " outside block of " + blockSize);
        }
    }
}
