package io.bitquan.flow.operators.commit;

/** Test access to the committer's buffered entries (current key of the harness). */
public final class CommitterProbe {
    private CommitterProbe() {}

    public static int pendingEntries(BlockCommitter committer) throws Exception {
        return committer.pendingEntries();
    }
}
