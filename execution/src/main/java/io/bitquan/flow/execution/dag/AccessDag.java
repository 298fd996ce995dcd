package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.analysis.AccessSet;
import io.bitquan.flow.execution.analysis.DependencyAnalyzer;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.model.state.StateKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A block's predicted access graph: every transaction's predicted keys as dense key ids, and for
 * each of its accesses the next transaction in block order that accesses the same key. Every
 * access counts as exclusive (reads and writes alike), so the transactions touching one key form
 * a chain in block order, and a schedule that runs each transaction after its predecessors on
 * every key it touches sees exactly the values sequential execution would (see {@link DagRun}).
 *
 * <p>Built only when every prediction is {@link AccessSet#complete() complete}; a transaction that
 * touches a key outside its prediction is caught at run time ({@link Misprediction}).
 */
public final class AccessDag {
    /** Transactions per claim in the parallel prediction pass. */
    private static final int PREDICT_CHUNK = 64;

    final int txCount;
    final KeyIndex keys;
    /** Transaction t's accesses are {@code accessStart[t] .. accessStart[t + 1] - 1}. */
    final int[] accessStart;
    /** The key id of each access. */
    final int[] accessKey;
    /** For each access, the next transaction accessing the same key, or -1. */
    final int[] nextTx;
    /** Per transaction, how many of its accesses have an earlier accessor of the same key. */
    final int[] predecessors;
    private final int criticalPath;

    private AccessDag(int txCount, KeyIndex keys, int[] accessStart, int[] accessKey, int[] nextTx,
                      int[] predecessors, int criticalPath) {
        this.txCount = txCount;
        this.keys = keys;
        this.accessStart = accessStart;
        this.accessKey = accessKey;
        this.nextTx = nextTx;
        this.predecessors = predecessors;
        this.criticalPath = criticalPath;
    }

    /**
     * The block's graph, or {@code null} when some transaction's access set is not fully
     * predictable (a contract call without an access list, a deploy): such a block runs on the
     * optimistic path. Single-threaded.
     */
    public static AccessDag build(List<PreparedTx> txs) {
        StateKey[][] predicted = new StateKey[txs.size()][];
        return predict(txs, predicted, 0, txs.size()) ? link(predicted) : null;
    }

    /**
     * The same graph, with the predictions (the part that walks every transaction's body, about
     * three quarters of the build for light transfers) computed by {@code workers} workers of
     * {@code pool}; the linking pass that follows is serial.
     */
    public static AccessDag build(List<PreparedTx> txs, WorkerPool pool, int workers) {
        int n = txs.size();
        StateKey[][] predicted = new StateKey[n][];
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
        return incomplete.get() ? null : link(predicted);
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

    /** The serial pass: dense key ids and, per key, the chain of its accessors in block order. */
    private static AccessDag link(StateKey[][] predicted) {
        int n = predicted.length;
        int accesses = 0;
        for (StateKey[] own : predicted) {
            accesses += own.length;
        }
        KeyIndex keys = new KeyIndex(accesses);
        int[] accessStart = new int[n + 1];
        int[] accessKey = new int[accesses];
        int[] nextTx = new int[accesses];
        int[] predecessors = new int[n];
        int[] depth = new int[n];
        // per key id: the last access so far (to link the next one to) and its transaction
        int[] lastAccess = new int[accesses];
        int[] lastTx = new int[accesses];
        java.util.Arrays.fill(lastAccess, -1);
        int critical = 0;
        int a = 0;
        for (int t = 0; t < n; t++) {
            accessStart[t] = a;
            int d = 0;
            for (StateKey key : predicted[t]) {
                int id = keys.intern(key);
                accessKey[a] = id;
                nextTx[a] = -1;
                int previous = lastAccess[id];
                if (previous >= 0) {
                    nextTx[previous] = t;
                    predecessors[t]++;
                    d = Math.max(d, depth[lastTx[id]]);
                }
                lastAccess[id] = a;
                lastTx[id] = t;
                a++;
            }
            depth[t] = d + 1;
            critical = Math.max(critical, depth[t]);
        }
        accessStart[n] = a;
        return new AccessDag(n, keys, accessStart, accessKey, nextTx, predecessors, critical);
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

    public int keyCount() {
        return keys.size();
    }

    /** Longest chain of transactions ordered by shared keys (1 for independent transactions). */
    public int criticalPath() {
        return criticalPath;
    }

    /** Transactions per step of the critical path: the most workers this block can keep busy. */
    public double parallelism() {
        return criticalPath == 0 ? 1.0 : (double) txCount / criticalPath;
    }
}
