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
 * <p>Concurrency contract (round 12: a sequence lock on the write stamp, as
 * {@link java.util.concurrent.locks.StampedLock}'s optimistic reads):
 * <ul>
 *   <li>{@code stamp} is even while the chain is stable and odd while one writer modifies it.
 *       Writers ({@link #put}, {@link #remove}, {@link #markEstimate}) take it from even
 *       {@code s} to {@code s + 1} by CAS (so there is one writer at a time, and the CAS orders
 *       their stores after it), change the plain fields below, and release-store {@code s + 2}.
 *       So the stamp is monotonic, counts completed modifications twice, and never returns to
 *       a value it had (no ABA within a block: it would take 2^30 modifications of one key).</li>
 *   <li>Readers take no lock: they load an even stamp (acquire), read the plain fields, fence
 *       (acquire) and load the stamp again; an equal stamp means no writer ran in between, so
 *       what they read is one stable state (else they retry). A reader that sees a torn state
 *       before that check may compute garbage, never an exception or an endless loop: every
 *       index is clamped to the arrays it reads.</li>
 *   <li>{@code base}: racy single-check idiom; storage does not change during a block, so two
 *       threads that both load it store equal values.</li>
 * </ul>
 * Round 11 and before took the chain's monitor per modification and published an immutable view
 * object per modification (an allocation, two volatile stores and two monitor CASes per written
 * key); this is one CAS and a release store, and an insertion below the last writer shifts in
 * place instead of copying the arrays.
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
    private static final int[] NO_TXS = new int[0];
    private static final Entry[] NO_ENTRIES = new Entry[0];
    private static final VarHandle MAX_READER;
    private static final VarHandle STAMP;
    /** Spins on a chain another thread is modifying before yielding (the writer may be descheduled). */
    private static final int SPINS_BEFORE_YIELD = 64;

    static {
        try {
            MAX_READER = MethodHandles.lookup().findVarHandle(VersionChain.class, "maxReader", int.class);
            STAMP = MethodHandles.lookup().findVarHandle(VersionChain.class, "stamp", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final StateKey key;
    /** {@code key.hashCode()}, so a {@link ChainTable} probe compares it without touching the key. */
    final int hash;
    /** {@code key}'s encoding, so a {@link ChainTable} probe compares bytes without loading the key object. */
    final byte[] encoded;
    private volatile Object base = UNLOADED;
    /**
     * The highest transaction that has read this key (-1: none). A write to a key no higher
     * transaction has read cannot have been missed by one, so it needs no revalidation of the
     * transactions above (see {@link MvMemory#record}). Raised by CAS (a full fence) before the
     * reader resolves; the writer fences between storing its entry and loading this, so at least
     * one of the two sees the other.
     */
    private volatile int maxReader = -1;
    /**
     * The key's write stamp and sequence lock (see the class comment): even = stable, odd = a
     * writer is inside. A reader logs the even stamp its resolve saw ({@link #resolve} returns
     * it); a validation that loads the same value knows no modification of the key started
     * since (see {@link MvMemory#validateReadSet}).
     */
    private volatile int stamp;

    // The versions: written only by the stamp's holder, read by anyone under the stamp check.
    /** Transaction indices of the slots, ascending; slots below {@code size} are in use. */
    private int[] txs = NO_TXS;
    /** The slots' entries ({@link #REMOVED} for a removed index, which keeps its slot). */
    private Entry[] entries = NO_ENTRIES;
    private int size;
    /** The highest live entry and its transaction ({@code -1}, {@code null}: none). */
    private int topTx = -1;
    private Entry top;
    /** The last slot's transaction ({@code -1}: no slot), so an append needs no array load. */
    private int lastTx = -1;
    /** Set when any DELTA was ever stored here: the final pass then resolves the key's credits. */
    private boolean hadDelta;
    /**
     * Upper bounds, written by the stamp's holder and read after the run: the sum of every credit
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

    /** The stamp after the modification that {@link #put} started at {@code before}. */
    static int after(int before) {
        return before + 2;
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

    /** The write stamp (volatile load; odd while a writer is inside). */
    int stamp() {
        return stamp;
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
     * on the key's writers so far, for the contention check ({@code BlockRun}). A racy plain load:
     * a heuristic input only.
     */
    int writers() {
        return size;
    }

    /** Whether a transaction above {@code txIndex} has read this key (call after a full fence). */
    boolean readAbove(int txIndex) {
        return maxReader > txIndex;
    }

    /** After the run (the pool's latch orders the writers' stores before this). */
    boolean hadDelta() {
        return hadDelta;
    }

    /** After the run: whether some credit may have taken a balance past MAX_MONEY (then replay in block order). */
    boolean mayOverflow(StateView storage) {
        StateValue b = base(storage);
        long start = Math.max(fullBound, b instanceof io.bitquan.flow.model.state.AccountState a ? a.balance() : 0);
        return CreditMath.add(start, creditBound) >= CreditMath.OVER;
    }

    /** Waits for a writer inside the chain: spin briefly, then yield (it may have lost its core). */
    private static void backOff(int spins) {
        if (spins < SPINS_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Whether the stamp is still {@code s} after the plain loads made since loading it. */
    private boolean unchanged(int s) {
        VarHandle.acquireFence();
        return stamp == s;
    }

    /**
     * Resolves what {@code txIndex} sees below itself into {@code out} (see {@link Resolved}) and
     * returns the even stamp of the state it resolved: the stamp a read logs.
     */
    int resolve(int txIndex, Resolved out) {
        for (int spins = 0; ; spins++) {
            int s = (int) STAMP.getAcquire(this);
            if ((s & 1) == 0 && resolveOnce(txIndex, out) && unchanged(s)) {
                return s;
            }
            backOff(spins);
        }
    }

    /** One optimistic attempt of {@link #resolve}; {@code false} when it met a torn state. */
    private boolean resolveOnce(int txIndex, Resolved out) {
        int[] txs = this.txs;
        Entry[] entries = this.entries;
        int size = this.size;
        int topTx = this.topTx;
        Entry top = this.top;
        int lastTx = this.lastTx;
        if (topTx < txIndex) {
            if (top == null) {
                out.blockedOn = -1;
                out.version = STORAGE;
                out.value = null;
                out.sum = -1;
                return true;
            }
            if (top.kind == Kind.VALUE) {
                out.blockedOn = -1;
                out.version = pack(topTx, top.incarnation);
                out.value = top.value;
                out.sum = -1;
                return true;
            }
            if (top.kind == Kind.ESTIMATE) {
                out.blockedOn = topTx;
                return true;
            }
            // A DELTA on top: sum the credits below (the walk).
        }
        if (size > txs.length || size > entries.length) {
            return false;
        }
        int pos = search(txs, size, lastTx, txIndex);
        int i = pos >= 0 ? pos - 1 : -pos - 2;
        long sum = -1;
        for (; i >= 0; i--) {
            Entry e = entries[i];
            if (e == REMOVED) {
                continue;
            }
            if (e == null) {
                return false;
            }
            switch (e.kind) {
                case ESTIMATE -> {
                    out.blockedOn = txs[i];
                    return true;
                }
                case DELTA -> sum = CreditMath.add(Math.max(sum, 0), e.delta);
                case VALUE -> {
                    out.blockedOn = -1;
                    out.version = pack(txs[i], e.incarnation);
                    out.value = e.value;
                    out.sum = sum;
                    return true;
                }
            }
        }
        out.blockedOn = -1;
        out.version = STORAGE;
        out.value = null;
        out.sum = sum;
        return true;
    }

    /** The highest-index live entry below {@code txIndex}, or {@code null}; {@code found[0]} receives its index. */
    Entry lower(int txIndex, int[] found) {
        for (int spins = 0; ; spins++) {
            int s = (int) STAMP.getAcquire(this);
            if ((s & 1) == 0) {
                int[] txs = this.txs;
                Entry[] entries = this.entries;
                int size = Math.min(this.size, Math.min(txs.length, entries.length));
                int pos = search(txs, size, size == 0 ? -1 : txs[size - 1], txIndex);
                int i = pos >= 0 ? pos - 1 : -pos - 2;
                while (i >= 0 && entries[i] == REMOVED) {
                    i--;
                }
                Entry e = i >= 0 ? entries[i] : null;
                int tx = i >= 0 ? txs[i] : -1;
                if (unchanged(s)) {
                    if (e != null) {
                        found[0] = tx;
                    }
                    return e;
                }
            }
            backOff(spins);
        }
    }

    /** The highest-index live entry, or {@code null}; {@code found[0]} receives its index. */
    Entry last(int[] found) {
        return lower(Integer.MAX_VALUE, found);
    }

    /**
     * The final entry once no worker runs: {@link #last}'s answer read from the fields every
     * modification refreshes ({@code top}, {@code topTx}), without the stamp check, the search or
     * the slot arrays. The output pass asks this of every written key; {@link #last} loaded the
     * chain's two arrays (two more cache lines, usually last written on the other core) and was
     * ~60 % of that pass (round 20, JFR: {@code VersionChain.lower}). Plain loads are enough:
     * every store to these fields precedes the scheduler operation that published its
     * transaction, and the reader saw the block done after all of those (see
     * {@code BlockRun.collectOutput}). {@link #finalTx} is the entry's transaction.
     */
    Entry finalEntry() {
        return top;
    }

    /** The transaction of {@link #finalEntry} ({@code -1}: none); same contract. */
    int finalTx() {
        return topTx;
    }

    /** The live entries in transaction order (no worker may be running): for the final credit pass. */
    void forEachLive(EntryVisitor visitor) {
        for (int i = 0; i < size; i++) {
            Entry e = entries[i];
            if (e != REMOVED) {
                visitor.visit(txs[i], e);
            }
        }
    }

    @FunctionalInterface
    interface EntryVisitor {
        void visit(int txIndex, Entry entry);
    }

    /** Takes the stamp from even {@code s} to {@code s + 1}; returns {@code s}. */
    private int lock() {
        for (int spins = 0; ; spins++) {
            int s = stamp;
            if ((s & 1) == 0 && STAMP.compareAndSet(this, s, s + 1)) {
                return s;
            }
            backOff(spins);
        }
    }

    /** Publishes the modification made since {@link #lock} returned {@code s}. */
    private void unlock(int s) {
        STAMP.setRelease(this, s + 2);
    }

    /**
     * Stores {@code txIndex}'s entry; returns the stamp just before this modification (the
     * stamp after it is {@link #after}), so a writer that read the key can tell whether anything
     * else modified it between its read and this write.
     */
    int put(int txIndex, Entry entry) {
        int before = lock();
        try {
            if (entry.kind == Kind.DELTA) {
                hadDelta = true;
                creditBound = CreditMath.add(creditBound, entry.delta);
            } else if (entry.value instanceof io.bitquan.flow.model.state.AccountState a) {
                fullBound = Math.max(fullBound, a.balance());
            }
            int pos = search(txs, size, lastTx, txIndex);
            if (pos >= 0) {
                entries[pos] = entry;
            } else {
                insert(-pos - 1, txIndex, entry);
            }
            refreshTop();
        } finally {
            unlock(before);
        }
        return before;
    }

    /** Inserts a slot at {@code at}: in place when the arrays have room (readers retry on a torn state). */
    private void insert(int at, int txIndex, Entry entry) {
        int n = size;
        if (n == txs.length) {
            int capacity = Math.max(4, n * 2);
            txs = Arrays.copyOf(txs, capacity);
            entries = Arrays.copyOf(entries, capacity);
        }
        if (at < n) {
            System.arraycopy(txs, at, txs, at + 1, n - at);
            System.arraycopy(entries, at, entries, at + 1, n - at);
        }
        txs[at] = txIndex;
        entries[at] = entry;
        size = n + 1;
    }

    /** After every modification, by the stamp's holder: the highest live entry (usually the last slot) and the last slot's index. */
    private void refreshTop() {
        int i = size - 1;
        while (i >= 0 && entries[i] == REMOVED) {
            i--;
        }
        topTx = i < 0 ? -1 : txs[i];
        top = i < 0 ? null : entries[i];
        lastTx = size == 0 ? -1 : txs[size - 1];
    }

    void remove(int txIndex) {
        int before = lock();
        try {
            int pos = search(txs, size, lastTx, txIndex);
            if (pos >= 0) {
                entries[pos] = REMOVED;
                refreshTop();
            }
        } finally {
            unlock(before);
        }
    }

    /** Turns the entry of {@code txIndex} into an ESTIMATE (same incarnation); no-op if absent. */
    void markEstimate(int txIndex) {
        int before = lock();
        try {
            int pos = search(txs, size, lastTx, txIndex);
            if (pos >= 0) {
                Entry e = entries[pos];
                if (e != REMOVED) {
                    entries[pos] = new Entry(e.incarnation(), null, Kind.ESTIMATE, 0);
                    refreshTop();
                }
            }
        } finally {
            unlock(before);
        }
    }

    /** Slots scanned back from the end of a chain before a binary search (see {@link #search}). */
    static final int TAIL_SCAN = 8;

    /**
     * {@link Arrays#binarySearch} semantics over {@code txs[0..size)} ({@code lastTx} is
     * {@code txs[size - 1]}; a reader passes what it loaded, so {@code size <= txs.length}). Most
     * searches land above the highest entry (a reader or writer ahead of every earlier writer:
     * always so at one worker, mostly so at a few), so that case is answered from the last slot
     * without a search: on a hot key's chain of thousands of entries the binary search was ~8-12%
     * of Block-STM CPU (JFR, transfer/10000). The next most common case is a transaction just
     * below the last writer (the workers run neighbouring transactions, so the other worker's
     * higher one often wrote first): a short scan back from the end finds it in the chain's last
     * cache line, where the binary search missed the cache at each of its ~12 steps on a hot key
     * (token/10000, 2 workers: the search inside {@code put} was half of recording an
     * incarnation, JFR).
     */
    private static int search(int[] txs, int size, int lastTx, int txIndex) {
        if (size == 0 || lastTx < txIndex) {
            return -size - 1;
        }
        if (lastTx == txIndex) {
            return size - 1;
        }
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
