package io.bitquan.flow.execution.dag;

/**
 * Thrown out of {@code StateAccess} inside the VM callback when a transaction touches a key its
 * predicted access set does not name: the schedule's ordering no longer covers that access, so
 * the whole scheduled run is discarded and the block runs on the optimistic Block-STM path. Like
 * Block-STM's {@code ReadDependency}, the VM lets it propagate. Control flow: no stack trace.
 */
public final class Misprediction extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final Misprediction INSTANCE = new Misprediction();

    private Misprediction() {
        super("access outside the predicted set", null, false, false);
    }
}
