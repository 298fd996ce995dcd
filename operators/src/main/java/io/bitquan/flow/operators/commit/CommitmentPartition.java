package io.bitquan.flow.operators.commit;

import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.operators.model.ChangeCodec;
import io.bitquan.flow.operators.model.CommitPart;
import org.apache.flink.api.common.functions.RichMapFunction;

/**
 * Hashes one commitment bucket's changes of one block into an LtHash delta (remove old entry,
 * add new entry; two BLAKE3 XOF element hashes per changed key, the expensive part of the state
 * commitment). Runs keyed by (chain, bucket) so the hashing spreads over subtasks; the committer
 * just adds the deltas. Stateless.
 */
public final class CommitmentPartition extends RichMapFunction<CommitPart, CommitPart> {
    private static final long serialVersionUID = 1L;

    @Override
    public CommitPart map(CommitPart keys) {
        return delta(keys);
    }

    public static CommitPart delta(CommitPart keys) {
        if (keys.kind != CommitPart.Kind.KEYS) {
            throw new IllegalArgumentException("expected KEYS, got " + keys.kind + " for seq " + keys.seq);
        }
        LtHash delta = new LtHash();
        for (StateChange change : ChangeCodec.decode(keys.changes)) {
            delta.apply(change);
        }
        CommitPart out = CommitPart.of(CommitPart.Kind.DELTA, keys.chainId, keys.seq);
        out.bucket = keys.bucket;
        out.delta = delta.toBytes();
        return out;
    }
}
