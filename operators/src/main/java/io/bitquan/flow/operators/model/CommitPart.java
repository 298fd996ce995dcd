package io.bitquan.flow.operators.model;

/**
 * What reaches the committer: one {@link Kind#SUMMARY} per unit, straight from the executor, and
 * {@code partitions} {@link Kind#DELTA}s for it from the commitment partitions (or, on the way
 * there, {@link Kind#KEYS}: one bucket's changes). Ordered by the executor's per-chain
 * {@code seq}. A Flink POJO, layout VERSION 1.
 */
public class CommitPart {
    public enum Kind { SUMMARY, KEYS, DELTA }

    public Kind kind;
    public String chainId;
    public long seq;
    /** KEYS / DELTA: which commitment bucket. */
    public int bucket;
    /** KEYS: packed changes ({@link ChangeCodec}); SUMMARY: all the block's changes. */
    public byte[] changes;
    /** DELTA: LtHash lattice bytes of (sum of new entries - sum of old entries). */
    public byte[] delta;

    // SUMMARY only
    public int partitions;
    public long height;
    public byte[] blockId;
    public boolean accepted;
    public boolean disconnect;
    public String rule;
    public String reason;
    public byte[] receiptsRoot;
    /** packed Avro binary Receipts */
    public byte[] receipts;
    public byte[] expectedStateRoot;
    public long fees;
    public int txCount;
    public long executions;
    public long aborts;
    public long validations;
    public int fallbacks;
    public long receivedAtNanos;
    public long executeNanos;

    public CommitPart() {}

    public static CommitPart of(Kind kind, String chainId, long seq) {
        CommitPart p = new CommitPart();
        p.kind = kind;
        p.chainId = chainId;
        p.seq = seq;
        return p;
    }

    /** The commitment subtask of a KEYS batch ({@code EvenPartitioner}): bucket b of a chain on subtask (offset + b) mod p. */
    public int bucketIndex() {
        return chainId.hashCode() + bucket;
    }
}
