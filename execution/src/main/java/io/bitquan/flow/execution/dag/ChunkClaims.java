package io.bitquan.flow.execution.dag;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Who runs which transactions of the block (round 20, owner-computes; {@link DagRun}'s claim when
 * {@link PredictedRun} asks for it): every transaction has an owner worker, named by its first
 * predicted key (a transfer's sender, a spend's first input) through that key's id, so all of one
 * account's sends go to one worker and its slot, its base value and its chain stay in that core's
 * cache instead of alternating between the cores chunk by chunk (round 19's JFR: a hot account's
 * slot missed more under the shared cursor). The block is cut into chunks, each chunk into one
 * part per worker (the chunk's transactions that worker owns); a worker takes its own next part
 * first, as long as it lies within {@link #WINDOW} chunks of the lowest part nobody has taken,
 * else that lowest part (the linker's parts while it links, a slow worker's tail), so the run
 * stays near block order, which the hot accounts' chains need. A part is taken by one CAS on its
 * flag, so each transaction is visited by exactly one worker, which is what {@link DagRun}'s
 * cursor argument needs of a claim.
 *
 * <p>Each worker scans with two indices of its own ({@link #OWN}, {@link #ANY}, in the caller's
 * {@code scans}), both only moving forward: a part once taken stays taken. The flags are a cache
 * line apart.
 */
final class ChunkClaims {
    /** Index of a worker's scan over its own parts in its {@code scans} array. */
    static final int OWN = 0;
    /** Index of a worker's scan over every part. */
    static final int ANY = 1;
    /** {@link #claim}: another worker took the part first; look again. */
    static final int RETRY = -1;
    /** {@link #claim}: every part not taken lies above the linked bound. */
    static final int NONE = -2;
    /** {@link #claim}: every part is taken. */
    static final int DONE = -3;
    /**
     * How many chunks ahead of the lowest part nobody has taken a worker's own part may be and still
     * go first ({@code -Dbitquan.dag.ownWindow}).
     */
    static final int WINDOW = Integer.getInteger("bitquan.dag.ownWindow", 4);
    /** Ints per flag: 64 bytes, one cache line. */
    private static final int PAD = 16;

    /** Transactions per chunk. */
    final int size;
    final int workers;
    /** Parts: a chunk's are {@code chunk * workers .. chunk * workers + workers - 1}, part k the transactions worker k owns. */
    final int parts;
    private final int txs;
    /** Per part, at {@code part * PAD}: 1 once taken (CAS by the workers). */
    private final AtomicIntegerArray taken;

    ChunkClaims(int workers, int size, int txs) {
        this.workers = workers;
        this.size = size;
        this.txs = txs;
        this.parts = (txs + size - 1) / size * workers;
        this.taken = new AtomicIntegerArray(Math.max(1, parts * PAD));
    }

    /**
     * Takes the next part for {@code worker} (see the class comment), only one whose chunk lies
     * wholly below {@code bound}: the part, or {@link #RETRY}, {@link #NONE}, {@link #DONE}.
     * {@code scans} is the worker's own ({@link #OWN}, {@link #ANY}; zeros at first).
     */
    int claim(int worker, int bound, int[] scans) {
        int low = scans[ANY];
        while (low < parts && taken.get(low * PAD) != 0) {
            low++;
        }
        scans[ANY] = low;
        if (low >= parts) {
            return DONE;
        }
        int p = Math.max(scans[OWN], low);
        p += Math.floorMod(worker - p, workers); // the first of this worker's parts at or after p
        while (p < parts && taken.get(p * PAD) != 0) {
            p += workers;
        }
        scans[OWN] = p;
        if (p >= parts || p >= low + WINDOW * workers || end(p) > bound) {
            p = low; // its own too far ahead of block order, or not linked yet: the lowest free part
        }
        if (end(p) > bound) {
            return NONE;
        }
        return taken.compareAndSet(p * PAD, 0, 1) ? p : RETRY;
    }

    /** The part's chunk's first transaction. */
    int from(int part) {
        return part / workers * size;
    }

    /** One past the part's chunk's last transaction. */
    int end(int part) {
        return Math.min(txs, (part / workers + 1) * size);
    }

    /** The worker whose transactions the part holds. */
    int ownerOf(int part) {
        return part % workers;
    }

    /**
     * Transaction t's owner: its first predicted key's id, mixed (ids are dense in first-access
     * order), onto the workers; 0 for a transaction without keys. Read by the visiting worker
     * below the linked bound, after the linkers wrote the ids.
     */
    int owner(AccessDag dag, int t) {
        int a = dag.accessStart[t];
        if (a == dag.accessStart[t + 1]) {
            return 0;
        }
        long mixed = ((dag.accessKey[a] * 0x9E3779B97F4A7C15L) >>> 32) & 0xFFFF_FFFFL;
        return (int) ((mixed * workers) >>> 32);
    }
}
