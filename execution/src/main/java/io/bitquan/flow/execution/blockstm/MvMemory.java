package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Multi-version memory (paper, Algorithm 2, {@code MVMemory}): for every key, the values written
 * by each transaction of the block, keyed by transaction index and tagged with the incarnation
 * that wrote them, or an ESTIMATE marker left by an aborted incarnation.
 *
 * <p>Thread-safety contract:
 * <ul>
 *   <li>{@code data}: concurrent map of {@link VersionChain}s; any thread reads, and the entry
 *       of transaction {@code i} in a key's chain is written only by the thread that currently
 *       owns {@code i} (the executor of its running incarnation, or the validator that just
 *       aborted it). The scheduler's status lock hands that ownership over, so there is never
 *       more than one writer per (key, i). Visibility: see {@link VersionChain}.</li>
 *   <li>{@code lastWrittenLocations[i]}, {@code lastReadSet[i]}: written by the owner of
 *       {@code i} in {@link #record}, read by validators; published through the atomic array
 *       (volatile semantics), and the arrays stored there are never mutated afterwards.</li>
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

    private static final StateKey[] NO_KEYS = new StateKey[0];
    private static final ReadDescriptor[] NO_READS = new ReadDescriptor[0];

    private final int blockSize;
    private final ConcurrentHashMap<StateKey, VersionChain> data;
    private final AtomicReferenceArray<StateKey[]> lastWrittenLocations;
    private final AtomicReferenceArray<ReadDescriptor[]> lastReadSet;

    public MvMemory(int blockSize) {
        this.blockSize = blockSize;
        this.data = new ConcurrentHashMap<>(Math.max(16, blockSize * 4));
        this.lastWrittenLocations = new AtomicReferenceArray<>(blockSize);
        this.lastReadSet = new AtomicReferenceArray<>(blockSize);
    }

    public int blockSize() {
        return blockSize;
    }

    /**
     * Records one finished incarnation: its reads and its writes (parallel arrays, one entry per
     * key, {@code null} value = delete). Writes of the previous incarnation that this one did not
     * repeat are removed. Returns the paper's {@code wrote_new_location}: whether any key was
     * written that the previous incarnation did not write (validation must then restart there).
     */
    public boolean record(Version version, ReadDescriptor[] reads, StateKey[] keys, StateValue[] values) {
        int tx = version.txIndex();
        checkIndex(tx);
        for (int i = 0; i < keys.length; i++) {
            VersionChain chain = data.get(keys[i]);
            if (chain == null) {
                chain = data.computeIfAbsent(keys[i], k -> new VersionChain());
            }
            chain.put(tx, new VersionChain.Entry(version.incarnation(), values[i], false));
        }
        StateKey[] previous = lastWrittenLocations.get(tx);
        boolean wroteNew = false;
        if (previous == null) {
            wroteNew = keys.length > 0;
        } else {
            KeySet now = KeySet.of(keys);
            KeySet before = KeySet.of(previous);
            for (StateKey key : previous) {
                if (!now.contains(key)) {
                    data.get(key).remove(tx);
                }
            }
            for (StateKey key : keys) {
                if (!before.contains(key)) {
                    wroteNew = true;
                    break;
                }
            }
        }
        lastWrittenLocations.set(tx, keys.length == 0 ? NO_KEYS : keys.clone());
        lastReadSet.set(tx, reads.length == 0 ? NO_READS : reads);
        return wroteNew;
    }

    /** Membership over a write set: a linear scan for the usual 1..4 keys, a hash set beyond. */
    private record KeySet(StateKey[] keys, Set<StateKey> set) {
        static KeySet of(StateKey[] keys) {
            return new KeySet(keys, keys.length > 16 ? new HashSet<>(List.of(keys)) : null);
        }

        boolean contains(StateKey key) {
            if (set != null) {
                return set.contains(key);
            }
            for (StateKey k : keys) {
                if (k.equals(key)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * The value transaction {@code txIndex} sees for {@code key}: the write of the highest lower
     * transaction, READ_ERROR if that write is an ESTIMATE, NOT_FOUND if no lower transaction
     * wrote the key (the caller then reads base storage).
     */
    public ReadResult read(StateKey key, int txIndex) {
        VersionChain versions = data.get(key);
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
     * {@code txIndex} would still see the same version (or still reach storage). An ESTIMATE
     * fails validation.
     */
    public boolean validateReadSet(int txIndex) {
        ReadDescriptor[] reads = lastReadSet.get(txIndex);
        if (reads == null) {
            throw new InvariantViolation("validate_read_set: tx " + txIndex + " has no recorded incarnation");
        }
        for (ReadDescriptor read : reads) {
            ReadResult now = read(read.key(), txIndex);
            switch (now.status()) {
                case READ_ERROR -> {
                    return false;
                }
                case NOT_FOUND -> {
                    if (!read.fromStorage()) {
                        return false;
                    }
                }
                case OK -> {
                    if (read.txIndex() != now.txIndex() || read.incarnation() != now.incarnation()) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** The paper's {@code convert_writes_to_estimates}: marks every write of the aborted incarnation. */
    public void convertWritesToEstimates(int txIndex) {
        StateKey[] keys = lastWrittenLocations.get(txIndex);
        if (keys == null) {
            throw new InvariantViolation("convert_writes_to_estimates: tx " + txIndex + " has no recorded incarnation");
        }
        for (StateKey key : keys) {
            data.get(key).markEstimate(txIndex);
        }
    }

    /** The keys the last recorded incarnation of {@code txIndex} wrote ({@code null} if none recorded). */
    public StateKey[] writtenKeys(int txIndex) {
        StateKey[] keys = lastWrittenLocations.get(txIndex);
        return keys == null ? null : keys.clone();
    }

    /** The reads of the last recorded incarnation of {@code txIndex} ({@code null} if none recorded). */
    public ReadDescriptor[] readSet(int txIndex) {
        ReadDescriptor[] reads = lastReadSet.get(txIndex);
        return reads == null ? null : reads.clone();
    }

    /**
     * The block's final write set once every transaction is executed and validated: for each key
     * the write of the highest transaction, deletes included, sorted by key. Call only when no
     * worker is running. An ESTIMATE left behind is an {@link InvariantViolation}.
     */
    public List<StateWrite> snapshot() {
        List<StateWrite> out = unsortedSnapshot();
        out.sort(null);
        return out;
    }

    /**
     * The part of the final write set whose last writer is in {@code [fromTx, toTx)}, unsorted:
     * every key is reported by exactly one transaction (its highest writer), so disjoint ranges
     * can be collected in parallel. Call only when no worker is running.
     */
    public List<StateWrite> finalWritesOf(int fromTx, int toTx) {
        List<StateWrite> out = new ArrayList<>((toTx - fromTx) * 3);
        int[] writer = new int[1];
        for (int tx = fromTx; tx < toTx; tx++) {
            StateKey[] keys = lastWrittenLocations.get(tx);
            if (keys == null) {
                continue;
            }
            for (StateKey key : keys) {
                VersionChain.Entry last = data.get(key).last(writer);
                if (last == null || writer[0] != tx) {
                    continue;
                }
                if (last.estimate()) {
                    throw new InvariantViolation("final writes: key " + key + " still holds an ESTIMATE of tx "
                            + tx + " incarnation " + last.incarnation());
                }
                out.add(new StateWrite(key, last.value()));
            }
        }
        return out;
    }

    /** {@link #snapshot()} before sorting (the engine sorts on its worker pool). */
    public List<StateWrite> unsortedSnapshot() {
        List<StateWrite> out = new ArrayList<>(data.size());
        int[] writer = new int[1];
        for (Map.Entry<StateKey, VersionChain> e : data.entrySet()) {
            VersionChain.Entry last = e.getValue().last(writer);
            if (last == null) {
                continue;
            }
            if (last.estimate()) {
                throw new InvariantViolation("snapshot: key " + e.getKey() + " still holds an ESTIMATE of tx "
                        + writer[0] + " incarnation " + last.incarnation());
            }
            out.add(new StateWrite(e.getKey(), last.value()));
        }
        return out;
    }

    private void checkIndex(int tx) {
        if (tx < 0 || tx >= blockSize) {
            throw new InvariantViolation("tx index " + tx + " outside block of " + blockSize);
        }
    }
}
