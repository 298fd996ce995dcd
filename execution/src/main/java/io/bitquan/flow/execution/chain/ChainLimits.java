package io.bitquan.flow.execution.chain;

/**
 * Bounds of the chain core's memory.
 *
 * @param undoWindow      blocks that can be disconnected from undo records (deeper: savepoint)
 * @param maxStoredBlocks blocks held unapplied (gaps and side branches) before the oldest is dropped
 * @param maxStoredBytes  their payload bytes, same policy
 */
public record ChainLimits(int undoWindow, int maxStoredBlocks, long maxStoredBytes) implements java.io.Serializable {
    public static final int DEFAULT_UNDO_WINDOW = 100;
    public static final int DEFAULT_MAX_STORED_BLOCKS = 64;
    public static final long DEFAULT_MAX_STORED_BYTES = 256L << 20;

    public ChainLimits {
        if (undoWindow < 1 || maxStoredBlocks < 1 || maxStoredBytes < 1) {
            throw new IllegalArgumentException("undo window and block store limits must be >= 1");
        }
    }

    public static ChainLimits defaults() {
        return new ChainLimits(DEFAULT_UNDO_WINDOW, DEFAULT_MAX_STORED_BLOCKS, DEFAULT_MAX_STORED_BYTES);
    }

    public static ChainLimits withUndoWindow(int undoWindow) {
        return new ChainLimits(undoWindow, DEFAULT_MAX_STORED_BLOCKS, DEFAULT_MAX_STORED_BYTES);
    }
}
