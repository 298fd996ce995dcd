package io.bitquan.flow.execution.dag;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The cursor run's record of who has finished and who waits for whom (round 19, {@link DagRun}):
 * per transaction one word, {@link #DONE} once it has run, else the top of the stack of
 * transactions blocked on it. A transaction the cursor reaches before one of its predecessors has
 * run is pushed onto that predecessor's stack ({@link #blockOn}); the predecessor's worker takes
 * the stack when it finishes ({@link #finish}) and, for each transaction on it, checks the
 * remaining predecessors again: blocked on another, it moves there; none left, it runs.
 *
 * <p><b>Exactly once.</b> A transaction sits on at most one stack at a time: the cursor pushes it
 * (once, its one visit) or whoever popped it pushes it again; a push is a CAS against a word that
 * is not {@code DONE}, and {@link #finish} swaps {@code DONE} in, so a push either lands before
 * the swap (the finisher gets it) or fails and the pusher sees the predecessor finished and goes
 * on to the next. So a blocked transaction is popped exactly once per stack it landed on, and
 * whoever finds every predecessor {@code DONE} runs it, which happens exactly once.
 *
 * <p><b>Memory.</b> {@code state} is written by CAS and swap only (volatile): a worker that reads
 * {@code DONE} for a predecessor sees everything that predecessor's run wrote (its value slots),
 * and the finisher that swaps sees each pusher's {@link #below} entry, a plain write before the
 * pusher's CAS. A popped transaction's {@code below} entry is read before it is pushed anywhere
 * else (its new stack rewrites it), by the one thread that holds it.
 */
final class Waiters {
    /** A finished transaction's word. */
    static final int DONE = -1;
    /** Per transaction: {@link #DONE}, 0 (not finished, nobody waits), or {@code w + 1} for w on top. */
    private final AtomicIntegerArray state;
    /** Per blocked transaction: the one below it on its stack, + 1 (0 at the bottom). */
    private final int[] below;

    Waiters(int transactions) {
        this.state = new AtomicIntegerArray(transactions);
        this.below = new int[transactions];
    }

    /**
     * Marks {@code t} finished (after its slot writes); the top of the stack blocked on it, or -1.
     * Walk the rest with {@link #next}, reading each entry before it is pushed again.
     */
    int finish(int t) {
        return state.getAndSet(t, DONE) - 1;
    }

    /** The transaction below {@code w} on the stack it was popped with, or -1. */
    int next(int w) {
        return below[w] - 1;
    }

    /**
     * Pushes {@code w} onto the stack of its first predecessor (in the graph's cursor layout) that
     * has not finished, and returns true; false when every predecessor has finished: then
     * {@code w}'s keys hold what sequential execution would leave there, and the caller runs it.
     */
    boolean blockOn(int w, AccessDag dag) {
        int[] from = dag.predFrom;
        int[] to = dag.predTo;
        int[] pred = dag.nodeTx;
        for (int a = dag.accessStart[w], end = dag.accessStart[w + 1]; a < end; a++) {
            for (int j = from[a], last = to[a]; j < last; j++) {
                int p = pred[j];
                for (int top = state.get(p); top != DONE; top = state.get(p)) {
                    below[w] = top;
                    if (state.compareAndSet(p, top, w + 1)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** Whether {@code t} has finished (tests). */
    boolean finished(int t) {
        return state.get(t) == DONE;
    }
}
