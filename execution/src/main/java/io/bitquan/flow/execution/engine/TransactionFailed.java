package io.bitquan.flow.execution.engine;

/**
 * The VM failed on one transaction with something other than a rule violation (a bug in a
 * native rule, a contract runtime fault, a {@link StackOverflowError} or {@link AssertionError}
 * from deep inside the VM), and the failure is final: every engine throws this same type for the
 * same block, the parallel ones only when the failing incarnation survived validation, never an
 * escaped {@link Error}. {@link #txIndex()} is the transaction's position in the block, the same
 * meaning as {@link BlockOutput#violationTx()} in every engine. Callers treat it as "this block
 * cannot be executed", not as a crashed executor.
 */
public final class TransactionFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int txIndex;

    public TransactionFailed(int txIndex, Throwable cause) {
        super("tx " + txIndex + ": VM failed with " + cause.getClass().getName(), cause);
        this.txIndex = txIndex;
    }

    /** Position of the failing transaction in the block. */
    public int txIndex() {
        return txIndex;
    }

    /**
     * Whether a throwable out of the VM is about the transaction (speculative until validated)
     * rather than about the machine: every exception and error except the JVM running out of
     * resources ({@link VirtualMachineError} other than {@link StackOverflowError}, which deep
     * contract recursion raises).
     */
    public static boolean isTransactionFailure(Throwable t) {
        return !(t instanceof VirtualMachineError) || t instanceof StackOverflowError;
    }
}
