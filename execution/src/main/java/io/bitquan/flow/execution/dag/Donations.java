package io.bitquan.flow.execution.dag;

/**
 * Released transactions a busy worker hands to idle ones. Run-by-releaser keeps a hot key's
 * chain on one core, but in a block with one giant connected component (Zipf transfers) every
 * release lands on the stack of whoever ran the component's first transaction, and the other
 * workers run out of ready transactions and idle: measured on transfer/10000 at 2 workers,
 * worker 0 spent 11.7 ms of CPU and worker 1 1.3 ms. So a worker whose stack holds two or more
 * released transactions, seeing a hungry worker, gives it the older half (the bottom of its
 * stack, furthest from the chain it is on) and keeps the newer half.
 *
 * <p>Each transaction is released exactly once, so it is donated at most once: a block-sized
 * array suffices. Donations happen only while some worker is hungry, so a lock is cheap here.
 */
final class Donations {
    private final int[] queue;
    private int head;
    private int tail;
    /** tail - head, for a lock-free "nothing here" check by idle workers. */
    private volatile int waiting;

    Donations(int transactions) {
        this.queue = new int[Math.max(1, transactions)];
    }

    /** Moves the older half of {@code stack[0..top)} here; returns the stack's new top. */
    synchronized int donate(int[] stack, int top) {
        int give = top / 2;
        System.arraycopy(stack, 0, queue, tail, give);
        tail += give;
        waiting = tail - head;
        System.arraycopy(stack, give, stack, 0, top - give);
        return top - give;
    }

    /** A donated transaction, or -1 when there is none. */
    int take() {
        if (waiting == 0) {
            return -1;
        }
        synchronized (this) {
            if (head == tail) {
                return -1;
            }
            int t = queue[head++];
            waiting = tail - head;
            return t;
        }
    }
}
