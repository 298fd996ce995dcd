package io.bitquan.flow.execution.analysis;

/**
 * Predicted dependencies of one block: for each transaction, the earlier transactions that write
 * a key it reads (highest index first), and the length of the longest predicted chain.
 * Immutable after construction (the arrays are never handed out for writing).
 */
public final class BlockDependencies {
    private static final int[] NONE = new int[0];

    private final int[][] predecessors;
    private final int criticalPath;
    private final int dependentTxs;
    private final int incompleteTxs;

    BlockDependencies(int[][] predecessors, int criticalPath, int dependentTxs, int incompleteTxs) {
        this.predecessors = predecessors;
        this.criticalPath = criticalPath;
        this.dependentTxs = dependentTxs;
        this.incompleteTxs = incompleteTxs;
    }

    public int size() {
        return predecessors.length;
    }

    /** Earlier transactions {@code tx} is predicted to depend on, highest index first. Do not modify. */
    public int[] predecessors(int tx) {
        int[] p = predecessors[tx];
        return p == null ? NONE : p;
    }

    /** Transactions in the longest predicted dependency chain (1 when all are independent). */
    public int criticalPath() {
        return criticalPath;
    }

    /** How many transactions have at least one predicted predecessor. */
    public int dependentTxs() {
        return dependentTxs;
    }

    /**
     * How many transactions have an incomplete prediction (a contract call without an access
     * list, a deploy): such a block cannot run on the predicted schedule.
     */
    public int incompleteTxs() {
        return incompleteTxs;
    }

    /** Predicted available parallelism: block size over critical path. */
    public double parallelism() {
        return criticalPath == 0 ? 1.0 : (double) predecessors.length / criticalPath;
    }
}
