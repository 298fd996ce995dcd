package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.analysis.AccessSet;
import io.bitquan.flow.execution.analysis.DependencyAnalyzer;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateView;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block's predicted access graph: every transaction's predicted keys as dense key ids, each
 * access a read or a write, and for each access the later transactions that must wait for it.
 * A write is exclusive: it waits for the key's previous writer and for every reader since. A
 * read-only access (a contract's code, which calls never write) waits only for the previous
 * writer, so readers of one key run side by side. A schedule that runs each transaction after
 * all of these predecessors sees exactly the values sequential execution would (see
 * {@link DagRun}).
 *
 * <p>Built in two steps. {@link #predict} computes every transaction's keys (on the worker pool:
 * it walks each transaction's body) and returns {@code null} unless every prediction is
 * {@link AccessSet#complete() complete}. {@link #link} then interns keys and links accessors in
 * block order, one linker per key shard ({@link Shards}; round 17, one linker before), while the
 * other workers already execute the linked prefix ({@link DagRun}). The linker records each
 * access's predecessor transactions in block order (round 19), plain appends into its own node
 * range (per access {@code nodeTx[predFrom[a] .. predTo[a])}), which a worker reads when the run's
 * cursor reaches the transaction. A transaction that touches a key outside its prediction, or
 * writes a key it predicted only to read, is caught at run time ({@link Misprediction}).
 *
 * <p>Rounds 7-18 linked the same edges the other way (each transaction pushed onto its
 * predecessors' successor stacks by CAS, counted in a per-transaction pending count, released by
 * its last predecessor); round 20 deleted that layout once the cursor run had been measured
 * cheaper (docs/PERFORMANCE.md, rounds 19 and 20).
 */
public final class AccessDag {
    /** Transactions per claim in the parallel prediction pass. */
    private static final int PREDICT_CHUNK = 64;
    /**
     * Below this many transactions the calling thread predicts alone: ~0.1 us per light
     * transaction is less than waking the pool (the job's 500-transaction blocks would pay a
     * hand-off for ~50 us of work).
     */
    private static final int MIN_PARALLEL_PREDICT = 2048;

    final int txCount;
    final KeyIndex keys;
    private final Prediction[] predicted;
    /** Transaction t's accesses are {@code accessStart[t] .. accessStart[t + 1] - 1}. */
    final int[] accessStart;
    /** The key id of each access (written by the linker before the transaction is published). */
    final int[] accessKey;
    /** Whether each access may write its key (a read-only access that writes is a misprediction). */
    final boolean[] accessWrites;
    /**
     * Predecessor transactions, from 1, each linker from its own range ({@link Linker}), written by
     * the linker before it publishes the transaction, each access's consecutive ({@link #predFrom}),
     * so a transaction's predecessors lie in one or two lines in block order.
     */
    final int[] nodeTx;
    /** Per access: its predecessor transactions are {@code nodeTx[predFrom[a] .. predTo[a])}. */
    final int[] predFrom;
    final int[] predTo;
    /** Per access: its transaction (a predecessor access's, read by the linker when it records one). */
    private final int[] accessTx;
    /** Per key id, its linker's own state: the last write access and the reads since, as access + 1 (0 none: no fill pass). */
    private final int[] lastWrite;
    private final int[] readsSinceWrite;
    private final int[] readListNext;
    /**
     * The key ids some access may write, each once, in the order their linker first met them
     * (in each linker's range until {@link #compactWritable()} joins them); the run sorts them
     * into key order as soon as the linkers are done ({@link DagRun}), so the write set is known,
     * in order, before the transactions that make it have run. Every key a transaction writes is
     * among them (a write to any other key is a {@link Misprediction}).
     */
    final int[] writable;
    private int writableCount = -1;
    /** The key partition ({@link Shards}): one shard per linker. */
    final Shards shards;
    /** One per shard: its linker's progress, node range and writable list. */
    final Linker[] linkers;
    /** Shards not yet claimed by a linker ({@link #claimShard}). */
    private final AtomicInteger nextShard = new AtomicInteger();
    /** Shards linked to the block's end: all of them means every key the block may write is listed. */
    private final AtomicInteger finishedShards = new AtomicInteger();
    private final AtomicBoolean sortClaimed = new AtomicBoolean();

    /**
     * One shard's linker state, written by that linker alone; the padding keeps two linkers'
     * counters off one cache line.
     */
    static final class Linker {
        long p0, p1, p2, p3, p4, p5, p6;
        /** Transactions below this are linked in this shard (written by its linker, per chunk). */
        volatile int linked;
        int nodes;
        final int writableBase;
        int writableCount;
        long q0, q1, q2, q3, q4, q5, q6;

        Linker(int nodes, int writableBase) {
            this.nodes = nodes;
            this.writableBase = writableBase;
        }
    }

    /**
     * One transaction's predicted keys, each once, and whether it may write each.
     * {@code ascendingFrom}: every key after position {@code ascendingFrom} is greater than the
     * key before it (a transaction's own outputs, made in index order), a fact the prediction
     * knows for free and the write-set sort would otherwise read both keys' bytes to learn
     * ({@link KeyIndex#compare}); {@code keys.length} when nothing is known. {@code bindings}:
     * the public keys the transaction presents, hashed in the prediction pass for the rules'
     * key binding checks ({@link KeyBinding}, round 10), or null (the rules then hash).
     * {@code base}: each key's value before the block, read in the prediction pass (round 12: an
     * account transfer reads both keys it predicts), {@link #ABSENT} for none, or null when not
     * read there (the run then reads the base on the key's first access).
     */
    record Prediction(StateKey[] keys, boolean[] writes, int ascendingFrom, KeyBinding[] bindings, Object[] base) {
        Prediction(StateKey[] keys, boolean[] writes) {
            this(keys, writes, keys.length, null, null);
        }

        Prediction(StateKey[] keys, boolean[] writes, int ascendingFrom) {
            this(keys, writes, ascendingFrom, null, null);
        }

        Prediction(StateKey[] keys, boolean[] writes, int ascendingFrom, KeyBinding[] bindings) {
            this(keys, writes, ascendingFrom, bindings, null);
        }
    }

    /**
     * A value slot holding an absent value (a null value): a null slot is one whose base value has
     * not been read yet, which is what a new array holds, so the slots need no fill pass.
     */
    static final Object ABSENT = new Object();

    /**
     * Value slots by key id, for the run ({@link DagRun}). The linker stores a new key's base value
     * here when the prediction read it ({@link Prediction#base}), before it publishes the
     * transaction: the base reads (a hash lookup each, most of them cache misses: 47 % of a
     * transfer block's samples at two workers, round 12) are then made in the prediction pass,
     * split evenly over the workers, instead of in the run, where one worker runs most of the
     * block (account transfers only: see {@link NativePrediction#of(PreparedTx, StateView, KeyHasher)}).
     * A slot still null is read from the base by the run, as before.
     */
    final Object[] values;

    private AccessDag(Prediction[] predicted, int accesses, Shards shards) {
        int n = predicted.length;
        this.txCount = n;
        this.predicted = predicted;
        this.shards = shards;
        // Each shard's keys are bounded by its accesses: its ids, nodes and writable entries take
        // ranges of the arrays below laid out by those counts (summed from the prediction chunks)
        int[] shardAccesses = shards.accesses(accesses);
        this.keys = new KeyIndex(shardAccesses); // sized for every access to be a new key: never grows
        this.linkers = new Linker[shards.count];
        for (int s = 0, keyBase = 0; s < shards.count; s++) {
            // a read appends at most one predecessor, a write one per read since the last write plus one
            linkers[s] = new Linker(1 + 2 * keyBase, keyBase);
            keyBase += shardAccesses[s];
        }
        this.accessStart = new int[n + 1];
        for (int t = 0; t < n; t++) {
            accessStart[t + 1] = accessStart[t] + predicted[t].keys().length;
        }
        this.accessKey = new int[accesses];
        this.accessWrites = new boolean[accesses];
        // a read appends at most one predecessor, a write one per read since the last write plus one
        this.nodeTx = new int[2 * accesses + 1];
        this.predFrom = new int[accesses];
        this.predTo = new int[accesses];
        this.accessTx = new int[accesses];
        this.lastWrite = new int[accesses];
        this.readsSinceWrite = new int[accesses];
        this.readListNext = new int[accesses];
        this.writable = new int[accesses];
        this.values = new Object[accesses]; // at most one key per access; ids are dense from 0
    }

    /**
     * The block's graph, fully linked, or {@code null} when some transaction's access set is not
     * fully predictable. Single-threaded (tests and tools).
     */
    public static AccessDag build(List<PreparedTx> txs) {
        return build(txs, 1);
    }

    /**
     * As {@link #build(List)}, linked by {@code linkers} linkers in turn on the calling thread
     * (the parallel link's graph, built serially: tests).
     */
    static AccessDag build(List<PreparedTx> txs, int linkers) {
        Prediction[] predicted = new Prediction[txs.size()];
        if (!predict(txs, predicted, 0, txs.size())) {
            return null;
        }
        Shards shards = new Shards(linkers, txs.size(), 1);
        shards.countAll(predicted);
        AccessDag dag = of(predicted, shards);
        for (int s = dag.claimShard(); s >= 0; s = dag.claimShard()) {
            dag.link(s, txs.size());
        }
        return dag;
    }

    /**
     * The unlinked graph, with the predictions computed by {@code workers} workers of {@code pool},
     * or {@code null} when some transaction (a contract call without an access list, a deploy) is
     * not fully predictable: such a block runs on the optimistic path.
     */
    public static AccessDag predict(List<PreparedTx> txs, WorkerPool pool, int workers) {
        int n = txs.size();
        Prediction[] predicted = new Prediction[n];
        if (n < MIN_PARALLEL_PREDICT || workers == 1) {
            return predict(txs, predicted, 0, n) ? of(predicted, Shards.one()) : null;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean incomplete = new AtomicBoolean();
        pool.run(workers, (worker, stop) -> {
            while (!incomplete.get() && !stop.raised()) {
                int first = next.getAndAdd(PREDICT_CHUNK);
                if (first >= n) {
                    return;
                }
                if (!predict(txs, predicted, first, Math.min(n, first + PREDICT_CHUNK))) {
                    incomplete.set(true);
                }
            }
        });
        return incomplete.get() ? null : of(predicted, Shards.one());
    }

    static AccessDag of(Prediction[] predicted) {
        return of(predicted, Shards.one());
    }

    /** The unlinked graph over {@code shards} (counted over every prediction: see {@link Shards#count}). */
    static AccessDag of(Prediction[] predicted, Shards shards) {
        int accesses = 0;
        for (Prediction own : predicted) {
            accesses += own.keys().length;
        }
        return new AccessDag(predicted, accesses, shards);
    }

    /** Fills {@code predicted[from..to)}; false at the first transaction without a complete prediction. */
    static boolean predict(List<PreparedTx> txs, Prediction[] predicted, int from, int to) {
        return predict(txs, predicted, from, to, null);
    }

    /**
     * As {@link #predict(List, Prediction[], int, int)}, reading a native transaction's keys'
     * base values from {@code base} as well (null: not read here; see {@link #values}).
     */
    static boolean predict(List<PreparedTx> txs, Prediction[] predicted, int from, int to, StateView base) {
        KeyHasher hasher = new KeyHasher(); // one hash state per chunk, reused by its key bindings
        for (int t = from; t < to; t++) {
            PreparedTx ptx = txs.get(t);
            Prediction own = NativePrediction.of(ptx, base, hasher);
            if (own == null) {
                AccessSet set = DependencyAnalyzer.accessSet(ptx);
                if (!set.complete()) {
                    return false;
                }
                own = distinct(set);
                if (ptx.body() instanceof ContractCall call) {
                    // the up-front fee's key binding check (AccountRules.chargeSender), hashed here as a transfer's
                    own = new Prediction(own.keys(), own.writes(), own.ascendingFrom(),
                            new KeyBinding[] {new KeyBinding(Bytes.of(call.getPublicKey()), hasher)});
                }
            }
            for (StateKey key : own.keys()) {
                key.hashCode(); // cached in the key: hashed here, in parallel, not by the serial linker's intern
            }
            predicted[t] = own;
        }
        return true;
    }

    /** Transaction t's public keys hashed by the prediction, or null ({@link ScheduledView#publicKeyHash}). */
    KeyBinding[] bindings(int t) {
        return predicted[t].bindings();
    }

    /**
     * Links transactions up to {@code upTo - 1} in block order (one linker: {@link #link(int, int)} of shard 0).
     */
    void link(int upTo) {
        link(0, upTo);
    }

    /**
     * Links shard {@code s}'s accesses of transactions {@link Linker#linked} .. {@code upTo - 1}
     * in block order and publishes them. One linker per shard, any number of shards at once
     * (round 17): a key is in one shard, so every per-key state (its id, last writer, reads since,
     * its accesses' predecessor lists) has one writer. A read waits for the key's last writer; a
     * write waits for the last writer and every read since; each wait is an append of that
     * access's transaction to this access's predecessor list. A transaction spanning shards gets
     * each shard's part of its lists from that shard's linker; the run visits it only once every
     * linker has passed it ({@link #linked()}).
     */
    void link(int s, int upTo) {
        Linker me = linkers[s];
        int[] masks = shards.masks;
        int shardCount = shards.count;
        int bit = 1 << s;
        for (int t = me.linked; t < upTo; t++) {
            int mask = masks == null ? bit : masks[t];
            if ((mask & bit) == 0) {
                continue;
            }
            boolean spans = mask != bit;
            Prediction own = predicted[t];
            StateKey[] ownKeys = own.keys();
            int ascendingFrom = own.ascendingFrom();
            Object[] base = own.base();
            for (int a = accessStart[t], i = 0, end = accessStart[t + 1]; a < end; a++, i++) {
                if (spans && Shards.of(ownKeys[i], shardCount) != s) {
                    continue; // another linker's key
                }
                int known = keys.next(s);
                int id = keys.intern(s, ownKeys[i]);
                if (base != null && id == known) {
                    values[id] = base[i]; // a new key, t its first accessor: before t is published (see values)
                }
                if (i > ascendingFrom && id == known && (!spans || Shards.of(ownKeys[i - 1], shardCount) == s)
                        && id == accessKey[a - 1] + 1) {
                    keys.follows(id); // both new, in this order: the key is the next one in key order after id - 1
                }
                accessKey[a] = id;
                int writer = lastWrite[id] - 1;
                int from = me.nodes; // this access's predecessors start here
                if (own.writes()[i]) {
                    accessWrites[a] = true;
                    if (writer < 0) {
                        writable[me.writableBase + me.writableCount++] = id; // the key's first write access: listed once
                    }
                    for (int r = readsSinceWrite[id] - 1; r >= 0; r = readListNext[r] - 1) {
                        waitFor(me, r);
                    }
                    readsSinceWrite[id] = 0;
                    if (writer >= 0) {
                        waitFor(me, writer);
                    }
                    lastWrite[id] = a + 1;
                } else {
                    if (writer >= 0) {
                        waitFor(me, writer);
                    }
                    readListNext[a] = readsSinceWrite[id];
                    readsSinceWrite[id] = a + 1;
                }
                accessTx[a] = t;
                predFrom[a] = from;
                predTo[a] = me.nodes;
            }
        }
        if (upTo > me.linked) {
            me.linked = upTo;
            if (upTo >= txCount) {
                finishedShards.incrementAndGet(); // after the shard's last predecessor lists and writable keys
            }
        }
    }

    /** A shard no linker has taken yet, now the caller's to link, or -1 when every shard is taken. */
    int claimShard() {
        int s = nextShard.getAndIncrement();
        return s < shards.count ? s : -1;
    }

    /**
     * True for exactly one caller once every shard is linked to the block's end: the one that
     * sorts the writable keys (every shard's are then final).
     */
    boolean claimSort() {
        return fullyLinked() && sortClaimed.compareAndSet(false, true);
    }

    /**
     * Transactions below this are linked in every shard: volatile reads of each linker's progress,
     * after its writes of those transactions' keys and predecessor lists (the cursor's bound, tests).
     */
    int linked() {
        int min = txCount;
        for (Linker l : linkers) {
            min = Math.min(min, l.linked);
        }
        return min;
    }

    /** Makes the access being linked wait for {@code access}: its transaction appended to the predecessor list. */
    private void waitFor(Linker me, int access) {
        nodeTx[me.nodes++] = accessTx[access];
    }

    /**
     * Whether every shard is linked to the block's end (a volatile read after the linkers' last
     * writes): every key the block may write is listed.
     */
    boolean fullyLinked() {
        return finishedShards.get() == shards.count;
    }

    /**
     * Joins the linkers' writable lists into {@code writable[0 .. count)}, in shard order, once
     * every shard is linked (by the one thread that sorts them); the count.
     */
    int compactWritable() {
        if (writableCount < 0) {
            int at = 0;
            for (Linker l : linkers) {
                System.arraycopy(writable, l.writableBase, writable, at, l.writableCount); // at <= base: a left move
                at += l.writableCount;
            }
            writableCount = at;
        }
        return writableCount;
    }

    /** How many entries of {@link #writable} are filled: final once {@link #compactWritable()} ran. */
    int writableCount() {
        return compactWritable();
    }

    /**
     * The predicted keys once each (a hostile UTXO spend may name one input twice), a key the
     * transaction may write marked as a write even if it is also read.
     */
    static Prediction distinct(AccessSet set) {
        List<StateKey> reads = set.reads();
        List<StateKey> writes = set.writes();
        StateKey[] keys = new StateKey[reads.size() + writes.size()];
        boolean[] writable = new boolean[keys.length];
        int count = 0;
        for (int i = 0; i < writes.size(); i++) {
            count = add(keys, writable, count, writes.get(i), true);
        }
        if (reads != writes) {
            for (int i = 0; i < reads.size(); i++) {
                count = add(keys, writable, count, reads.get(i), false);
            }
        }
        return new Prediction(java.util.Arrays.copyOf(keys, count), java.util.Arrays.copyOf(writable, count));
    }

    private static int add(StateKey[] keys, boolean[] writable, int count, StateKey key, boolean write) {
        for (int j = 0; j < count; j++) {
            if (keys[j].equals(key)) {
                return count;
            }
        }
        keys[count] = key;
        writable[count] = write;
        return count + 1;
    }

    public int txCount() {
        return txCount;
    }

    /** Distinct keys linked so far. */
    public int keyCount() {
        return keys.size();
    }

    /**
     * Longest chain of transactions ordered by shared keys (1 for independent transactions), from
     * the links of a fully linked graph before any transaction ran (tests, tools).
     */
    public int criticalPath() {
        int[] depth = new int[txCount];
        int critical = 0;
        for (int t = 0; t < txCount; t++) {
            int d = 1;
            for (int a = accessStart[t]; a < accessStart[t + 1]; a++) {
                for (int j = predFrom[a]; j < predTo[a]; j++) {
                    d = Math.max(d, depth[nodeTx[j]] + 1);
                }
            }
            depth[t] = d;
            critical = Math.max(critical, d);
        }
        return critical;
    }

    /** Transactions per step of the critical path (see {@link #criticalPath()}). */
    public double parallelism() {
        int critical = criticalPath();
        return critical == 0 ? 1.0 : (double) txCount / critical;
    }
}
