package io.bitquan.flow.execution.blockstm;

import java.util.concurrent.locks.LockSupport;

/**
 * How an idle worker waits for another, in Block-STM's optimistic run ({@link BlockRun}) and in the
 * predicted schedule (the graph, released transactions): spin briefly (the usual wait is one light transaction), then yield, then park
 * in short timed slices. Round 13 measured (docs/PERFORMANCE.md, docs/probes/HandOff.java) that a
 * woken pool thread often lands on the calling thread's vCPU and the two then share that vCPU for
 * the whole block while the other stays idle; a worker that only yields there keeps being picked
 * again (EEVDF's yield does not hand the vCPU to a task that has run more) and burns the time the
 * worker it waits for needs: the block cost 15.8 ms of the two threads' CPU against 7.5 ms on two
 * vCPUs. A parked worker leaves the vCPU; timed parks need no wake-up protocol, and a slice is a
 * few light transactions' worth of time.
 */
public final class IdleWait {
    static final int SPIN_ROUNDS = 64;
    /** Idle rounds from which a round parks (rounds before it spin or yield). */
    public static final int YIELD_ROUNDS = 256;
    static final long PARK_NANOS = 20_000;

    private IdleWait() {
    }

    /** One idle round; returns the next round's count. */
    public static int backOff(int idle) {
        if (idle < SPIN_ROUNDS) {
            Thread.onSpinWait();
        } else if (idle < YIELD_ROUNDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(PARK_NANOS);
        }
        return idle + 1;
    }
}
