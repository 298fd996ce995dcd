package io.bitquan.flow.execution.dag;

/**
 * Marks where each worker of a {@link PredictedRun} is in the block, for a probe's wall-time
 * itemisation only (round 20, docs/probes/WallAtTwo.java): off unless {@code -Dbitquan.dag.phases=true},
 * and then a probe installs its {@link Recorder}. The switch is a static final, so with it off
 * the JIT drops every mark; nothing here feeds the block's result.
 */
final class Phases {
    /** Whether marks are made at all ({@code bitquan.dag.phases}). */
    static final boolean ON = Boolean.getBoolean("bitquan.dag.phases");

    /** The worker entered the job. */
    static final int ENTRY = 0;
    /** The worker found no prediction chunk left (its own chunks done). */
    static final int PREDICTED = 1;
    /** The worker has the graph: it built it, or it saw it built. */
    static final int GRAPH = 2;
    /** The worker is done linking and sorting (the linker) and starts to run transactions. */
    static final int RUN = 3;
    /** The worker found every transaction finished (or the run stopped) and leaves the run loop. */
    static final int RAN = 4;
    static final int MARKS = 5;

    /** Waits inside the run loop, by what the worker waited for. */
    static final int WAIT_BOUND = 0;
    /** The cursor at the block's end while other workers' stacks still run. */
    static final int WAIT_TAIL = 1;
    /** The transactions the worker executed (a count, not a time; given once, as it leaves the run loop). */
    static final int EXECUTED = 2;

    /** What a probe records (its own clocks: wall, the thread's CPU and run-queue wait, its vCPU). */
    interface Recorder {
        void mark(int worker, int phase);

        void waited(int worker, int why, long nanos);
    }

    /** Set by the probe before the first block, read only when {@link #ON}. */
    static volatile Recorder recorder;

    private Phases() {
    }

    static void mark(int worker, int phase) {
        Recorder r = recorder;
        if (r != null) {
            r.mark(worker, phase);
        }
    }

    static void waited(int worker, int why, long nanos) {
        Recorder r = recorder;
        if (r != null) {
            r.waited(worker, why, nanos);
        }
    }
}
