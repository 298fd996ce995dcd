package io.bitquan.flow.execution.blockstm;

/**
 * An internal invariant of the parallel executor does not hold (a bug, never a property of the
 * block). The engine turns it into a sequential re-execution when
 * {@link BlockStmOptions#sequentialFallbackOnError()} is set, otherwise it propagates so tests
 * see it. Messages name the transaction index, incarnation and state involved.
 */
public final class InvariantViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvariantViolation(String message) {
        super(message);
    }
}
