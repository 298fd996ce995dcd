package io.bitquan.flow.execution.blockstm;

/**
 * Thrown out of {@code StateAccess.read} inside the VM callback when the read hit an ESTIMATE
 * left by {@code blockingTxIndex}: the paper's READ_ERROR. The VM lets it propagate (see
 * {@link io.bitquan.flow.execution.vm.TransactionVm}); the worker then suspends the reader on
 * the blocking transaction. Carries no stack trace: it is control flow, thrown often.
 */
public final class ReadDependency extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int blockingTxIndex;

    public ReadDependency(int blockingTxIndex) {
        super("read dependency on tx " + blockingTxIndex, null, false, false);
        this.blockingTxIndex = blockingTxIndex;
    }

    public int blockingTxIndex() {
        return blockingTxIndex;
    }
}
