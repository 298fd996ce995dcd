package io.bitquan.flow.execution.dag;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Who runs which chunk of the block (round 20, {@link DagRun}'s claim when the predicting workers
 * are known): the run takes the block in the prediction pass's chunks, and a worker takes the
 * chunks it predicted itself ({@link PredictedRun} records the owner of each) first, so a
 * transaction runs on the core whose cache holds what its prediction just wrote (its record, its
 * keys, its base values, its body: read a whole block later by the run, round 18 measured these
 * reads as most of the schedule's misses), as long as its own next chunk lies within
 * {@link #WINDOW} chunks of the lowest one nobody has taken; otherwise, and when its own are not
 * linked yet, it takes that lowest one (the linker's own chunks while it links, a slow worker's
 * tail), so the run stays near block order, which the hot accounts' chains need. A chunk is taken by one CAS on its flag, so each is visited by exactly one worker,
 * which is what {@link DagRun}'s cursor argument needs of a claim (one visit per transaction).
 *
 * <p>Each worker scans with two indices of its own ({@link #OWN}, {@link #ANY}, in the caller's
 * {@code scans}), both only moving forward: a chunk once taken stays taken, so neither scan ever
 * needs to look back, and a worker reads each flag at most twice per block. The flags are a cache
 * line apart: the two workers take chunks side by side.
 */
final class ChunkClaims {
    /** Index of a worker's scan over its own chunks in its {@code scans} array. */
    static final int OWN = 0;
    /** Index of a worker's scan over every chunk. */
    static final int ANY = 1;
    /** {@link #claim}: another worker took the chunk first; look again. */
    static final int RETRY = -1;
    /** {@link #claim}: every chunk not taken lies above the linked bound. */
    static final int NONE = -2;
    /** {@link #claim}: every chunk is taken. */
    static final int DONE = -3;
    /**
     * How far ahead of the lowest chunk nobody has taken a worker's own chunk may be and still go
     * first: further ahead, the worker takes that lowest chunk. Without the window (measured,
     * round 20: transfer +9 % CPU at two workers) a worker ran its own chunks far ahead of block
     * order while the linker linked, and most of them waited on predecessors in the chunks it
     * had skipped.
     */
    static final int WINDOW = Integer.getInteger("bitquan.dag.ownWindow", 4);
    /** Ints per flag: 64 bytes, one cache line. */
    private static final int PAD = 16;

    /** Transactions per chunk (the prediction pass's). */
    final int size;
    final int count;
    private final int txs;
    /** Per chunk: the worker that predicted it (written before the graph was published, never after). */
    private final int[] owners;
    /** Per chunk, at {@code chunk * PAD}: 1 once taken (CAS by the workers). */
    private final AtomicIntegerArray taken;

    ChunkClaims(int[] owners, int size, int txs) {
        this.owners = owners;
        this.size = size;
        this.txs = txs;
        this.count = owners.length;
        this.taken = new AtomicIntegerArray(Math.max(1, count * PAD));
    }

    /**
     * Takes the next chunk for {@code worker}: its own lowest, if within {@link #WINDOW} chunks of
     * the lowest one nobody has taken, else that lowest one; only one whose transactions all lie
     * below {@code bound}. The chunk, or {@link #RETRY}, {@link #NONE}, {@link #DONE}.
     * {@code scans} is the worker's own ({@link #OWN}, {@link #ANY}; zeros at first).
     */
    int claim(int worker, int bound, int[] scans) {
        int low = scans[ANY];
        while (low < count && taken.get(low * PAD) != 0) {
            low++;
        }
        scans[ANY] = low;
        if (low >= count) {
            return DONE;
        }
        int c = Math.max(scans[OWN], low);
        while (c < count && (owners[c] != worker || taken.get(c * PAD) != 0)) {
            c++;
        }
        scans[OWN] = c;
        if (c >= count || c >= low + WINDOW || end(c) > bound) {
            c = low; // own chunks too far ahead of block order (or not linked yet): the lowest free one
        }
        if (end(c) > bound) {
            return NONE;
        }
        return taken.compareAndSet(c * PAD, 0, 1) ? c : RETRY;
    }

    /** The chunk's first transaction. */
    int from(int chunk) {
        return chunk * size;
    }

    /** One past the chunk's last transaction. */
    int end(int chunk) {
        return Math.min(txs, (chunk + 1) * size);
    }
}
