package io.bitquan.flow.execution.blockstm;

/**
 * Per-transaction status of the scheduler (paper, Algorithm 4, {@code txn_status}); it is always
 * paired with the incarnation number in {@link Scheduler}.
 *
 * <pre>
 *   READY_TO_EXECUTE(i) --try_incarnate--------------> EXECUTING(i)
 *   EXECUTING(i)        --finish_execution-----------> EXECUTED(i)
 *   EXECUTING(i)        --add_dependency-------------> ABORTING(i)     (suspended on a dependency)
 *   EXECUTED(i)         --try_validation_abort-------> ABORTING(i)
 *   ABORTING(i)         --set_ready_status-----------> READY_TO_EXECUTE(i+1)
 * </pre>
 *
 * Every other transition is a bug; {@link #checkTransition} throws an {@link InvariantViolation}
 * naming the transaction, incarnation and both states.
 */
public enum TxStatus {
    READY_TO_EXECUTE,
    EXECUTING,
    EXECUTED,
    ABORTING;

    /** Whether the diagram above has an edge {@code this -> to}. */
    public boolean canMoveTo(TxStatus to) {
        return switch (this) {
            case READY_TO_EXECUTE -> to == EXECUTING;
            case EXECUTING -> to == EXECUTED || to == ABORTING;
            case EXECUTED -> to == ABORTING;
            case ABORTING -> to == READY_TO_EXECUTE;
        };
    }

    public void checkTransition(TxStatus to, int txIndex, int incarnation, String operation) {
        if (!canMoveTo(to)) {
            throw new InvariantViolation(operation + ": tx " + txIndex + " incarnation " + incarnation
                    + " cannot move from " + this + " to " + to);
        }
    }
}
