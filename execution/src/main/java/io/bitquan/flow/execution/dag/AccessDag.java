package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.analysis.AccessSet;
import io.bitquan.flow.execution.analysis.DependencyAnalyzer;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A block's predicted access graph: every transaction's predicted keys as dense key ids, and for
 * each of its accesses the next transaction in block order that accesses the same key. Every
 * access counts as exclusive (reads and writes alike), so the transactions touching one key form
 * a chain in block order, and a schedule that runs each transaction after its predecessors on
 * every key it touches sees exactly the values sequential execution would (see {@link DagRun}).
 *
 * <p>Built in two steps. {@link #predict} computes every transaction's keys (on the worker pool:
 * it walks each transaction's body) and returns {@code null} unless every prediction is
 * {@link AccessSet#complete() complete}. {@link #link} then interns keys and links accessors in
 * block order; it is serial, so {@link DagRun} runs it on one worker while the others already
 * execute the linked prefix. Links and finishing transactions meet in one atomic slot per
 * access: the linker sets it from UNLINKED to the next accessor, a finished transaction swaps in
 * DONE; whichever comes second learns what the other did (see {@link #link} and
 * {@link DagRun}). A transaction that touches a key outside its prediction is caught at run time
 * ({@link Misprediction}).
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
    /** An access whose next accessor is not (yet) known, and whose transaction has not finished. */
    static final int UNLINKED = -1;
    /** An access whose transaction has finished (and released whichever accessor was linked). */
    static final int DONE = -2;

    final int txCount;
    final KeyIndex keys;
    private final StateKey[][] predicted;
    /** Transaction t's accesses are {@code accessStart[t] .. accessStart[t + 1] - 1}. */
    final int[] accessStart;
    /** The key id of each access (written by the linker before the transaction is published). */
    final int[] accessKey;
    /** For each access: the next transaction accessing the same key, UNLINKED or DONE. */
    final AtomicIntegerArray nextTx;
    /**
     * Per transaction: linked predecessors not yet finished, plus one claim token. Starts at 0; the
     * linker adds (predecessors linked + 1), finishing predecessors and the claim subtract. It can
     * dip below zero in between but reaches zero only once, by a subtraction, after the linker's
     * addition: whoever subtracts to zero runs the transaction.
     */
    final AtomicIntegerArray pending;
    /** Per key id: the last access linked so far (-1 none), the linker's own state. */
    private final int[] lastAccess;
    /** Transactions below this are linked (their pending counts and key ids final). */
    private volatile int linked;

    private AccessDag(StateKey[][] predicted, int accesses) {
        int n = predicted.length;
        this.txCount = n;
        this.predicted = predicted;
        this.keys = new KeyIndex(accesses); // sized for every access to be a new key: never grows
        this.accessStart = new int[n + 1];
        for (int t = 0; t < n; t++) {
            accessStart[t + 1] = accessStart[t] + predicted[t].length;
        }
        this.accessKey = new int[accesses];
        int[] unlinked = new int[accesses];
        java.util.Arrays.fill(unlinked, UNLINKED);
        this.nextTx = new AtomicIntegerArray(unlinked);
        this.pending = new AtomicIntegerArray(n);
        this.lastAccess = new int[accesses];
        java.util.Arrays.fill(lastAccess, -1);
    }

    /**
     * The block's graph, fully linked, or {@code null} when some transaction's access set is not
     * fully predictable. Single-threaded (tests and tools).
     */
    public static AccessDag build(List<PreparedTx> txs) {
        StateKey[][] predicted = new StateKey[txs.size()][];
        if (!predict(txs, predicted, 0, txs.size())) {
            return null;
        }
        AccessDag dag = of(predicted);
        dag.link(txs.size());
        return dag;
    }

    /**
     * The unlinked graph, with the predictions computed by {@code workers} workers of {@code pool},
     * or {@code null} when some transaction (a contract call without an access list, a deploy) is
     * not fully predictable: such a block runs on the optimistic path.
     */
    public static AccessDag predict(List<PreparedTx> txs, WorkerPool pool, int workers) {
        int n = txs.size();
        StateKey[][] predicted = new StateKey[n][];
        if (n < MIN_PARALLEL_PREDICT || workers == 1) {
            return predict(txs, predicted, 0, n) ? of(predicted) : null;
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
        return incomplete.get() ? null : of(predicted);
    }

    private static AccessDag of(StateKey[][] predicted) {
        int accesses = 0;
        for (StateKey[] own : predicted) {
            accesses += own.length;
        }
        return new AccessDag(predicted, accesses);
    }

    /** Fills {@code predicted[from..to)}; false at the first transaction without a complete prediction. */
    private static boolean predict(List<PreparedTx> txs, StateKey[][] predicted, int from, int to) {
        for (int t = from; t < to; t++) {
            AccessSet set = DependencyAnalyzer.accessSet(txs.get(t));
            if (!set.complete()) {
                return false;
            }
            predicted[t] = distinct(set);
        }
        return true;
    }

    /**
     * Links transactions {@link #linked()} .. {@code upTo - 1} in block order and publishes them.
     * One linker at a time. For each key a transaction touches, the key's previous accessor is
     * linked to it by CAS from UNLINKED; if that accessor already finished (DONE), there is nothing
     * to wait for on that key and the CAS fails, so only unfinished predecessors are counted.
     */
    void link(int upTo) {
        for (int t = linked; t < upTo; t++) {
            int waitsFor = 0;
            for (int a = accessStart[t], i = 0, end = accessStart[t + 1]; a < end; a++, i++) {
                int id = keys.intern(predicted[t][i]);
                accessKey[a] = id;
                int previous = lastAccess[id];
                if (previous >= 0 && nextTx.compareAndSet(previous, UNLINKED, t)) {
                    waitsFor++;
                }
                lastAccess[id] = a;
            }
            pending.addAndGet(t, waitsFor + 1);
        }
        linked = upTo;
    }

    /** Transactions below this are linked and may be claimed. */
    int linked() {
        return linked;
    }

    /** The predicted keys once each (a hostile UTXO spend may name one input twice). */
    private static StateKey[] distinct(AccessSet set) {
        List<StateKey> reads = set.reads();
        List<StateKey> writes = set.writes();
        StateKey[] out = new StateKey[reads.size() + (writes == reads ? 0 : writes.size())];
        int count = 0;
        count = addDistinct(out, count, reads);
        if (writes != reads) {
            count = addDistinct(out, count, writes);
        }
        return count == out.length ? out : java.util.Arrays.copyOf(out, count);
    }

    private static int addDistinct(StateKey[] out, int count, List<StateKey> keys) {
        for (int i = 0; i < keys.size(); i++) {
            StateKey k = keys.get(i);
            boolean seen = false;
            for (int j = 0; j < count && !seen; j++) {
                seen = out[j].equals(k);
            }
            if (!seen) {
                out[count++] = k;
            }
        }
        return count;
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
            depth[t] = Math.max(depth[t], 1);
            critical = Math.max(critical, depth[t]);
            for (int a = accessStart[t]; a < accessStart[t + 1]; a++) {
                int next = nextTx.get(a);
                if (next >= 0) {
                    depth[next] = Math.max(depth[next], depth[t] + 1);
                }
            }
        }
        return critical;
    }

    /** Transactions per step of the critical path (see {@link #criticalPath()}). */
    public double parallelism() {
        int critical = criticalPath();
        return critical == 0 ? 1.0 : (double) txCount / critical;
    }
}
