package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Everything a block knows about one key in {@link MvMemory}: the key itself, its base value
 * (loaded from storage at most once per block), and the versions written by the block's
 * transactions, sorted by transaction index. One chain per key per block: it is the key's
 * interned identity, so read logs and write sets hold chains and never look a key up twice.
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
 *   <li>{@code base}: racy single-check idiom; storage does not change during a block, so two
 *       threads that both load it store equal values.</li>
 * </ul>
 * Every write a worker makes here precedes, in program order, the scheduler operation that
 * publishes it (a CAS on the transaction's status or an index update), so a validation scheduled
 * after that operation sees it.
 */
final class VersionChain {

    /** Packed version of a read that reached base storage. */
    static final long STORAGE = -1L;

    /** What an entry is: a full value, an aborted incarnation's marker, or a commutative credit. */
    enum Kind { VALUE, ESTIMATE, DELTA }

    /**
     * One stored version, written by {@code incarnation}: a full {@code value} ({@code null} =
     * deleted), an ESTIMATE, or a DELTA that adds {@code delta} to the balance below it.
     */
    record Entry(int incarnation, StateValue value, Kind kind, long delta) {
        static Entry value(int incarnation, StateValue value) {
            return new Entry(incarnation, value, Kind.VALUE, 0);
        }

        boolean estimate() {
            return kind == Kind.ESTIMATE;
        }
    }

    /**
     * What a read resolved to; a per-worker scratch object, so reads allocate nothing.
     * {@code blockedOn} >= 0: an ESTIMATE of that transaction was met (nothing else is set).
     * Otherwise {@code version} is the packed version of the full value below the reader (or
     * {@link #STORAGE}), {@code value} that value, and {@code sum} the credits above it, or -1
     * when there were none.
     */
    static final class Resolved {
        int blockedOn;
        long version;
        StateValue value;
        long sum;
        /** Diagnostics, per worker: reads validation checked, and how many of them needed a chain walk. */
        long validatedReads;
        long walkedReads;
    }

    static final Entry REMOVED = new Entry(-1, null, Kind.VALUE, 0);
    private static final Object UNLOADED = new Object();
    private static final VarHandle ENTRIES = MethodHandles.arrayElementVarHandle(Entry[].class);
    private static final VarHandle MAX_READER;

    static {
        try {
            MAX_READER = MethodHandles.lookup().findVarHandle(VersionChain.class, "maxReader", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The published state: the sorted (tx, entry) arrays up to {@code size}, plus the highest
     * live entry and its transaction ({@code topTx} -1 and {@code top} null when none), so the
     * common read (a reader above every writer of the key) costs chain -> view -> entry instead
     * of also touching both arrays. A new view is published after every modification (under the
     * monitor, before the stamp bump), so {@code top} is always the highest live entry of some
     * instant.
     */
    private record View(int[] txs, Entry[] entries, int size, int topTx, Entry top, int lastTx) {}

    private static final View EMPTY = new View(new int[0], new Entry[0], 0, -1, null, -1);

    final StateKey key;
    /** {@code key.hashCode()}, so a {@link ChainTable} probe compares it without touching the key. */
    final int hash;
    /** {@code key}'s encoding, so a {@link ChainTable} probe compares bytes without loading the key object. */
    final byte[] encoded;
    private volatile View view = EMPTY;
    private volatile Object base = UNLOADED;
    /** Set when any DELTA was ever stored here: the final pass then resolves the key's credits. */
    private volatile boolean hadDelta;
    /**
     * The highest transaction that has read this key (-1: none). A write to a key no higher
     * transaction has read cannot have been missed by one, so it needs no revalidation of the
     * transactions above (see {@link MvMemory#record}). Raised by CAS (a full fence) before the
     * reader resolves; the writer fences between storing its entry and loading this, so at least
     * one of the two sees the other.
     */
    private volatile int maxReader = -1;
    /**
     * The key's write stamp: bumped (under the monitor, after the entry store) by every
     * {@link #put}, {@link #remove} and {@link #markEstimate}, so it is monotonic and never
     * returns to a value it had (no ABA within a block: it would take 2^31 modifications of one
     * key). A reader loads it <em>before</em> resolving and logs it; a validation that loads the
     * same value knows no modification of the key completed since (see {@link MvMemory#validateReadSet}).
     */
    private volatile int stamp;
    /**
     * Upper bounds, written under the monitor and read after the run: the sum of every credit
     * ever stored here (aborted incarnations included) and the largest full balance ever stored.
     * When the base balance plus both stays within MAX_MONEY no credit can have left the range,
     * and the final pass skips the block-order replay.
     */
    private long creditBound;
    private long fullBound;

    VersionChain(StateKey key) {
        this(key, key.hashCode());
    }

    VersionChain(StateKey key, int hash) {
        this.key = key;
        this.hash = hash;
        this.encoded = key.encodedUnsafe();
    }

    static long pack(int txIndex, int incarnation) {
        return (long) txIndex << 32 | (incarnation & 0xFFFFFFFFL);
    }

    /** The key's value in base storage, read at most once per block in the common case. */
    StateValue base(StateView storage) {
        Object b = base;
        if (b == UNLOADED) {
            b = storage.read(key);
            base = b;
        }
        return (StateValue) b;
    }

    /** The write stamp (volatile load): load it before {@link #resolve} when logging a read. */
    int stamp() {
        return stamp;
    }

    /** Called under the monitor after every modification: a plain increment published by the volatile store. */
    private void bump() {
        stamp = stamp + 1;
    }

    /** Called by {@code txIndex} before it resolves a read of this key. */
    void noteReader(int txIndex) {
        int m;
        while (txIndex > (m = maxReader)) {
            if (MAX_READER.compareAndSet(this, m, txIndex)) {
                return;
            }
        }
    }

    /**
     * How many transactions have stored an entry here (removed ones included): an upper bound
     * on the key's writers so far, for the contention check ({@code BlockRun}).
     */
    int writers() {
        return view.size;
    }

    /** Whether a transaction above {@code txIndex} has read this key (call after a full fence). */
    boolean readAbove(int txIndex) {
        return maxReader > txIndex;
    }

    boolean hadDelta() {
        return hadDelta;
    }

    /** After the run: whether some credit may have taken a balance past MAX_MONEY (then replay in block order). */
    synchronized boolean mayOverflow(StateView storage) {
        StateValue b = base(storage);
        long start = Math.max(fullBound, b instanceof io.bitquan.flow.model.state.AccountState a ? a.balance() : 0);
        return CreditMath.add(start, creditBound) >= CreditMath.OVER;
    }

    /** Resolves what {@code txIndex} sees below itself into {@code out}; see {@link Resolved}. */
    void resolve(int txIndex, Resolved out) {
        View v = view;
        if (v.topTx < txIndex) {
            Entry top = v.top;
            if (top == null) {
                out.blockedOn = -1;
                out.version = STORAGE;
                out.value = null;
                out.sum = -1;
                return;
            }
            if (top.kind == Kind.VALUE) {
                out.blockedOn = -1;
                out.version = pack(v.topTx, top.incarnation);
                out.value = top.value;
                out.sum = -1;
                return;
            }
            if (top.kind == Kind.ESTIMATE) {
                out.blockedOn = v.topTx;
                return;
            }
            // A DELTA on top: sum the credits below (the walk).
        }
        int pos = search(v, txIndex);
        int i = pos >= 0 ? pos - 1 : -pos - 2;
        long sum = -1;
        for (; i >= 0; i--) {
            Entry e = (Entry) ENTRIES.getAcquire(v.entries, i);
            if (e == REMOVED) {
                continue;
            }
            switch (e.kind) {
                case ESTIMATE -> {
                    out.blockedOn = v.txs[i];
                    return;
                }
                case DELTA -> sum = CreditMath.add(Math.max(sum, 0), e.delta);
                case VALUE -> {
                    out.blockedOn = -1;
                    out.version = pack(v.txs[i], e.incarnation);
                    out.value = e.value;
                    out.sum = sum;
                    return;
                }
            }
        }
        out.blockedOn = -1;
        out.version = STORAGE;
        out.value = null;
        out.sum = sum;
    }

    /** The highest-index live entry below {@code txIndex}, or {@code null}; {@code found[0]} receives its index. */
    Entry lower(int txIndex, int[] found) {
        View v = view;
        if (v.topTx < txIndex) {
            if (v.top != null) {
                found[0] = v.topTx;
            }
            return v.top;
        }
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

    /** The live entries in transaction order (no worker may be running): for the final credit pass. */
    void forEachLive(EntryVisitor visitor) {
        View v = view;
        for (int i = 0; i < v.size; i++) {
            Entry e = v.entries[i];
            if (e != REMOVED) {
                visitor.visit(v.txs[i], e);
            }
        }
    }

    @FunctionalInterface
    interface EntryVisitor {
        void visit(int txIndex, Entry entry);
    }

    /**
     * Stores {@code txIndex}'s entry; returns the stamp just before this modification (the
     * stamp after it is that plus one), so a writer that read the key can tell whether anything
     * else modified it between its read and this write.
     */
    synchronized int put(int txIndex, Entry entry) {
        int before = stamp;
        if (entry.kind == Kind.DELTA) {
            hadDelta = true;
            creditBound = CreditMath.add(creditBound, entry.delta);
        } else if (entry.value instanceof io.bitquan.flow.model.state.AccountState a) {
            fullBound = Math.max(fullBound, a.balance());
        }
        View v = view;
        int pos = search(v, txIndex);
        if (pos >= 0) {
            ENTRIES.setRelease(v.entries, pos, entry);
            publish(v.txs, v.entries, v.size);
            return before;
        }
        int at = -pos - 1;
        if (at == v.size && v.size < v.txs.length) {
            v.txs[at] = txIndex;
            v.entries[at] = entry;
            publish(v.txs, v.entries, v.size + 1);
            return before;
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
        publish(txs, entries, v.size + 1);
        return before;
    }

    /**
     * Under the monitor, after every modification: publishes the new view (its top is the
     * highest live entry: usually the last slot, REMOVED slots skipped), then bumps the stamp.
     */
    private void publish(int[] txs, Entry[] entries, int size) {
        int i = size - 1;
        while (i >= 0 && entries[i] == REMOVED) {
            i--;
        }
        int lastTx = size == 0 ? -1 : txs[size - 1];
        view = i < 0 ? new View(txs, entries, size, -1, null, lastTx) : new View(txs, entries, size, txs[i], entries[i], lastTx);
        bump();
    }

    synchronized void remove(int txIndex) {
        View v = view;
        int pos = search(v, txIndex);
        if (pos >= 0) {
            ENTRIES.setRelease(v.entries, pos, REMOVED);
            publish(v.txs, v.entries, v.size);
        }
    }

    /** Turns the entry of {@code txIndex} into an ESTIMATE (same incarnation); no-op if absent. */
    synchronized void markEstimate(int txIndex) {
        View v = view;
        int pos = search(v, txIndex);
        if (pos >= 0) {
            Entry e = v.entries[pos];
            if (e != REMOVED) {
                ENTRIES.setRelease(v.entries, pos, new Entry(e.incarnation(), null, Kind.ESTIMATE, 0));
                publish(v.txs, v.entries, v.size);
            }
        }
    }

    /** Slots scanned back from the end of a chain before a binary search (see {@link #search}). */
    static final int TAIL_SCAN = 8;

    /**
     * {@link Arrays#binarySearch} semantics. Most searches land above the highest entry (a reader
     * or writer ahead of every earlier writer: always so at one worker, mostly so at a few), so
     * that case is answered from the last slot without a search: on a hot key's chain of
     * thousands of entries the binary search was ~8-12% of Block-STM CPU (JFR, transfer/10000).
     * The next most common case is a transaction just below the last writer (the workers run
     * neighbouring transactions, so the other worker's higher one often wrote first): a short
     * scan back from the end finds it in the chain's last cache line, where the binary search
     * missed the cache at each of its ~12 steps on a hot key (token/10000, 2 workers: the search
     * inside {@code put} was half of recording an incarnation, JFR).
     */
    private static int search(View v, int txIndex) {
        int size = v.size;
        // lastTx is the last slot's index, held in the view itself: no load from the array.
        if (size == 0 || v.lastTx < txIndex) {
            return -size - 1;
        }
        if (v.lastTx == txIndex) {
            return size - 1;
        }
        int[] txs = v.txs;
        int lo = Math.max(0, size - 1 - TAIL_SCAN);
        for (int i = size - 2; i >= lo; i--) {
            int t = txs[i];
            if (t == txIndex) {
                return i;
            }
            if (t < txIndex) {
                return -(i + 1) - 1;
            }
        }
        // Every scanned slot is above txIndex: the answer lies below lo (or is lo itself as the insertion point).
        return Arrays.binarySearch(txs, 0, lo, txIndex);
    }
}
