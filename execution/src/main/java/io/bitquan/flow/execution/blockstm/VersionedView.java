package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What the VM sees during one incarnation (paper, Algorithm 3: the VM's reads through
 * {@code MVMemory.read} and its local write set). Reads see the incarnation's own writes first,
 * then the multi-version memory below this transaction, then base storage; each key read is
 * logged once, in primitive arrays, with the version and credits it resolved to. Writes stay
 * local until {@link #recordInto}. A worker reuses one view for all its incarnations
 * ({@link #reset}): nothing is allocated per read. Confined to one worker thread.
 *
 * <p>With {@code credits}, {@link #credit} to a key this incarnation has neither read nor
 * written is recorded as a commutative delta: it reads nothing, so concurrent credits to a hot
 * account do not conflict. At most one credit is pending; any later state operation of the same
 * incarnation first turns it into a read-modify-write, so a delta survives only when the credit
 * is the last state operation (as in a transfer), and its range check, done when credits are
 * resolved in block order, fails at the same transaction with the same message. With {@code storageOnly} every read goes to base storage (the
 * two-phase engine's optimistic round, which by design ignores other transactions' writes).
 */
public final class VersionedView implements StateAccess {
    private static final Object DELETED = new Object();
    private static final Object DELTA = new Object();
    /** Reads beyond this many are not deduplicated (a linear scan would cost more than a re-read). */
    private static final int DEDUP_LIMIT = 32;

    private final MvMemory memory;
    private final StateView base;
    private final boolean storageOnly;
    private final boolean credits;
    private final VersionChain.Resolved resolved = new VersionChain.Resolved();
    private int txIndex;
    /** See {@link #reset(int, boolean)}. */
    private boolean finalReads;

    private VersionChain[] readChains = new VersionChain[8];
    /** The key objects the VM passed to each logged read (often the very objects it then writes). */
    private StateKey[] readKeys = new StateKey[8];
    private int[] readStamps = new int[8];
    private long[] readVersions = new long[8];
    private long[] readSums = new long[8];
    private Object[] readValues = new Object[8];
    private int readCount;

    /**
     * The local write set: parallel arrays with a linear scan while small (transactions write
     * 1..4 keys; hashing a 37-byte key costs more than comparing a few), an index map beyond.
     */
    private StateKey[] writeKeys = new StateKey[4];
    private Object[] writeValues = new Object[4];
    private long[] writeDeltas = new long[4];
    private int writeCount;
    private Map<StateKey, Integer> writeIndex;
    /** Index in the write arrays of the one pending credit (a DELTA entry), or -1. */
    private int pendingAt = -1;
    /** See {@link #hottestWrite()}. */
    private int hottestWrite;
    /** The blocking transaction of the first ESTIMATE read, or -1; survives a VM that swallows exceptions. */
    private int blockedOn = -1;

    public VersionedView(int txIndex, MvMemory memory, StateView base, boolean storageOnly) {
        this(memory, base, storageOnly, false);
        reset(txIndex);
    }

    VersionedView(MvMemory memory, StateView base, boolean storageOnly, boolean credits) {
        this.memory = memory;
        this.base = base;
        this.storageOnly = storageOnly;
        this.credits = credits && !storageOnly;
    }

    /** Starts a new incarnation of {@code tx}: empties both logs, keeps the arrays. */
    void reset(int tx) {
        reset(tx, false);
    }

    /**
     * As {@link #reset(int)}; {@code finalReads}: every lower transaction is committed, so the
     * incarnation will never be validated (it is FINAL when it finishes) and no lower
     * transaction will ever write again. Its reads then skip the reader mark (which only tells
     * a later lower writer to revalidate above) and its read set is not recorded (nothing will
     * read it). At one worker that is every incarnation.
     */
    void reset(int tx, boolean finalReads) {
        this.finalReads = finalReads;
        txIndex = tx;
        Arrays.fill(readChains, 0, readCount, null);
        Arrays.fill(readKeys, 0, readCount, null);
        Arrays.fill(readValues, 0, readCount, null);
        readCount = 0;
        discardWrites();
        blockedOn = -1;
    }

    VersionChain.Resolved scratch() {
        return resolved;
    }

    @Override
    public StateValue read(StateKey key) {
        materializePending();
        int at = indexOf(key);
        if (at >= 0) {
            Object local = writeValues[at];
            return local == DELETED ? null : (StateValue) local;
        }
        return readThrough(key);
    }

    /**
     * Turns the pending credit into a read-modify-write before any further state operation of the
     * incarnation: so a delta survives only when the credit is the incarnation's last state
     * operation (a transfer's is), and a range violation is raised before anything the
     * sequential engine would not have reached.
     */
    private void materializePending() {
        int at = pendingAt;
        if (at >= 0) {
            pendingAt = -1;
            writeValues[at] = AccountRules.credited(account(readThrough(writeKeys[at])), writeDeltas[at]);
            writeDeltas[at] = 0;
        }
    }

    private static AccountState account(StateValue v) {
        return v == null ? AccountState.EMPTY : (AccountState) v;
    }

    private StateValue readThrough(StateKey key) {
        VersionChain chain = memory.chain(key);
        if (readCount <= DEDUP_LIMIT) {
            for (int i = 0; i < readCount; i++) {
                if (readChains[i] == chain) {
                    return (StateValue) readValues[i];
                }
            }
        }
        long version = VersionChain.STORAGE;
        long sum = -1;
        StateValue value = null;
        int stamp = MvMemory.UNKNOWN_STAMP;
        if (!storageOnly) {
            if (!finalReads) {
                chain.noteReader(txIndex);
            }
            // The stamp of the state resolved: see MvMemory.validateReadSet.
            stamp = chain.resolve(txIndex, resolved);
            if (resolved.blockedOn >= 0) {
                if (blockedOn < 0) {
                    blockedOn = resolved.blockedOn;
                }
                throw new ReadDependency(resolved.blockedOn);
            }
            version = resolved.version;
            sum = resolved.sum;
            value = resolved.value;
            resolved.value = null;
        }
        if (version == VersionChain.STORAGE) {
            value = chain.base(base);
        }
        if (sum >= 0) {
            // Credits above the value: a sum out of range means a lower transaction's credit
            // broke the rule and the block is rejected there; the read is logged first, so this
            // speculative violation stands only if the same credits are still there at validation.
            try {
                value = AccountRules.credited(account(value), sum);
            } catch (io.bitquan.flow.model.rules.RuleViolation outOfRange) {
                log(key, chain, stamp, version, sum, null);
                throw outOfRange;
            }
        }
        log(key, chain, stamp, version, sum, value);
        return value;
    }

    private void log(StateKey key, VersionChain chain, int stamp, long version, long sum, StateValue value) {
        if (readCount == readChains.length) {
            int n = readCount * 2;
            readChains = Arrays.copyOf(readChains, n);
            readKeys = Arrays.copyOf(readKeys, n);
            readStamps = Arrays.copyOf(readStamps, n);
            readVersions = Arrays.copyOf(readVersions, n);
            readSums = Arrays.copyOf(readSums, n);
            readValues = Arrays.copyOf(readValues, n);
        }
        readChains[readCount] = chain;
        readKeys[readCount] = key;
        readStamps[readCount] = stamp;
        readVersions[readCount] = version;
        readSums[readCount] = sum;
        readValues[readCount] = value;
        readCount++;
    }

    @Override
    public void write(StateKey key, StateValue value) {
        materializePending();
        put(key, value == null ? DELETED : value, 0);
    }

    @Override
    public void credit(StateKey key, long amount) {
        materializePending();
        if (!credits || indexOf(key) >= 0 || wasRead(key)) {
            // Written or read already (or credits off): the delta would save nothing.
            StateAccess.super.credit(key, amount);
            return;
        }
        put(key, DELTA, amount);
        pendingAt = indexOf(key);
    }

    private boolean wasRead(StateKey key) {
        for (int i = 0; i < readCount; i++) {
            if (readChains[i].key.equals(key)) {
                return true;
            }
        }
        return false;
    }

    private void put(StateKey key, Object stored, long delta) {
        int at = indexOf(key);
        if (at >= 0) {
            writeValues[at] = stored;
            writeDeltas[at] = delta;
            return;
        }
        if (writeCount == writeKeys.length) {
            writeKeys = Arrays.copyOf(writeKeys, writeCount * 2);
            writeValues = Arrays.copyOf(writeValues, writeCount * 2);
            writeDeltas = Arrays.copyOf(writeDeltas, writeCount * 2);
        }
        writeKeys[writeCount] = key;
        writeValues[writeCount] = stored;
        writeDeltas[writeCount] = delta;
        if (writeIndex != null) {
            writeIndex.put(key, writeCount);
        } else if (writeCount == 8) {
            writeIndex = new HashMap<>();
            for (int i = 0; i <= writeCount; i++) {
                writeIndex.put(writeKeys[i], i);
            }
        }
        writeCount++;
    }

    private int indexOf(StateKey key) {
        if (writeIndex != null) {
            Integer i = writeIndex.get(key);
            return i == null ? -1 : i;
        }
        for (int i = 0; i < writeCount; i++) {
            if (writeKeys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** The transaction the incarnation must wait for, or -1 when it never hit an ESTIMATE. */
    public int blockedOn() {
        return blockedOn;
    }

    /** Drops the writes (the incarnation ended in a violation or error: its writes never count). */
    public void discardWrites() {
        Arrays.fill(writeKeys, 0, writeCount, null);
        Arrays.fill(writeValues, 0, writeCount, null);
        writeCount = 0;
        writeIndex = null;
        pendingAt = -1;
    }

    /**
     * The chain of a written key: a key the incarnation also read (a sender) is found in the read
     * log, usually by identity since the VM reads and writes the same key object; else one lookup.
     */
    private VersionChain chainFor(StateKey key) {
        for (int i = 0; i < readCount; i++) {
            if (readKeys[i] == key) {
                return readChains[i];
            }
        }
        return memory.chain(key);
    }

    /**
     * The most writers ({@link VersionChain#writers}) among the keys the last recorded
     * incarnation wrote a full value to (credits excluded: they do not conflict), read right
     * after its own write. A key written by most transactions of the block so far makes the
     * block one dependency chain: see {@code BlockRun}'s contention check.
     */
    int hottestWrite() {
        return hottestWrite;
    }

    /** Records this incarnation in the memory; returns the paper's {@code wrote_new_location}. */
    public boolean recordInto(int incarnation) {
        MvMemory.ReadSet reads = MvMemory.ReadSet.EMPTY;
        if (readCount > 0 && !finalReads) {
            reads = new MvMemory.ReadSet(Arrays.copyOf(readChains, readCount), Arrays.copyOf(readStamps, readCount),
                    Arrays.copyOf(readVersions, readCount), Arrays.copyOf(readSums, readCount));
        }
        VersionChain[] written = new VersionChain[writeCount];
        VersionChain.Entry[] entries = new VersionChain.Entry[writeCount];
        for (int i = 0; i < writeCount; i++) {
            written[i] = chainFor(writeKeys[i]);
            Object v = writeValues[i];
            if (v == DELTA) {
                // A credited key is never read here, but the final pass needs its base value:
                // load it now, on this worker, rather than in the output phase.
                written[i].base(base);
            }
            entries[i] = v == DELTA ? new VersionChain.Entry(incarnation, null, VersionChain.Kind.DELTA, writeDeltas[i])
                    : VersionChain.Entry.value(incarnation, v == DELETED ? null : (StateValue) v);
        }
        boolean wroteNew = memory.record(txIndex, incarnation, reads, written, entries);
        int hottest = 0;
        for (int i = 0; i < written.length; i++) {
            if (entries[i].kind() == VersionChain.Kind.VALUE) {
                hottest = Math.max(hottest, written[i].writers());
            }
        }
        hottestWrite = hottest;
        return wroteNew;
    }
}
