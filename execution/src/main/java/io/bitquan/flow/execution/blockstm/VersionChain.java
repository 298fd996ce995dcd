package io.bitquan.flow.execution.blockstm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The versions of one key in {@link MvMemory}: entries sorted by transaction index. Replaces a
 * concurrent skip list, which profiling showed dominating Block-STM's overhead on hot keys.
 *
 * <p>Concurrency contract:
 * <ul>
 *   <li>Writers ({@link #put}, {@link #remove}, {@link #markEstimate}) hold this object's monitor.</li>
 *   <li>Readers take no lock: they read {@code view} once (volatile) and binary-search it. A view
 *       is (tx indices, entries, size); indices below {@code size} never change. A new index is
 *       appended in place when it is the highest and capacity allows (old readers never look at
 *       or past their own {@code size}), else the arrays are copied and a new view published.</li>
 *   <li>Replacing the entry of an existing index happens in place with a release store; readers
 *       load entries with acquire. Entries are immutable. A removed index keeps its slot and
 *       holds {@link #REMOVED}, which readers skip.</li>
 * </ul>
 * Every write a worker makes here precedes, in program order, the scheduler operation that
 * publishes it (a status change under lock or an atomic index update), so a validation scheduled
 * after that operation sees it.
 */
final class VersionChain {

    /** One stored version: written by {@code incarnation}; {@code estimate} marks an aborted incarnation's write. */
    record Entry(int incarnation, io.bitquan.flow.model.state.StateValue value, boolean estimate) {}

    static final Entry REMOVED = new Entry(-1, null, false);
    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(Entry[].class);

    private record View(int[] txs, Entry[] entries, int size) {}

    private static final View EMPTY = new View(new int[0], new Entry[0], 0);

    private volatile View view = EMPTY;

    /** The highest-index live entry below {@code txIndex}, or {@code null}; {@code found[0]} receives its index. */
    Entry lower(int txIndex, int[] found) {
        View v = view;
        int pos = search(v, txIndex);
        int i = pos >= 0 ? pos - 1 : -pos - 2;
        for (; i >= 0; i--) {
            Entry e = (Entry) ENTRIES.getAcquire(v.entries, i);
            if (e != REMOVED) {
                found[0] = v.txs[i];
                return e;
            }
        }
        return null;
    }

    /** The highest-index live entry, or {@code null}; {@code found[0]} receives its index. */
    Entry last(int[] found) {
        return lower(Integer.MAX_VALUE, found);
    }

    synchronized void put(int txIndex, Entry entry) {
        View v = view;
        int pos = search(v, txIndex);
        if (pos >= 0) {
            ENTRIES.setRelease(v.entries, pos, entry);
            return;
        }
        int at = -pos - 1;
        if (at == v.size && v.size < v.txs.length) {
            v.txs[at] = txIndex;
            v.entries[at] = entry;
            view = new View(v.txs, v.entries, v.size + 1);
            return;
        }
        int capacity = v.size + 1 > v.txs.length ? Math.max(4, v.txs.length * 2) : v.txs.length;
        int[] txs = new int[capacity];
        Entry[] entries = new Entry[capacity];
        System.arraycopy(v.txs, 0, txs, 0, at);
        System.arraycopy(v.entries, 0, entries, 0, at);
        txs[at] = txIndex;
        entries[at] = entry;
        System.arraycopy(v.txs, at, txs, at + 1, v.size - at);
        System.arraycopy(v.entries, at, entries, at + 1, v.size - at);
        view = new View(txs, entries, v.size + 1);
    }

    synchronized void remove(int txIndex) {
        View v = view;
        int pos = search(v, txIndex);
        if (pos >= 0) {
            ENTRIES.setRelease(v.entries, pos, REMOVED);
        }
    }

    /** Turns the entry of {@code txIndex} into an ESTIMATE (same incarnation); no-op if absent. */
    synchronized void markEstimate(int txIndex) {
        View v = view;
        int pos = search(v, txIndex);
        if (pos >= 0) {
            Entry e = v.entries[pos];
            if (e != REMOVED) {
                ENTRIES.setRelease(v.entries, pos, new Entry(e.incarnation(), null, true));
            }
        }
    }

    private static int search(View v, int txIndex) {
        return Arrays.binarySearch(v.txs, 0, v.size, txIndex);
    }
}
