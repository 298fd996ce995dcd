package io.bitquan.flow.operators.model;

/**
 * What reaches the committer: one {@link Kind#SUMMARY} per unit, straight from the executor, and
 * {@code partitions} {@link Kind#DELTA}s for it from the commitment partitions (or, on the way
 * there, {@link Kind#KEYS}: one bucket's changes). Ordered by the executor's per-chain
 * {@code seq}. A Flink POJO, layout VERSION 2 (VERSION 1 without {@code receiptLeaves}: Flink's POJO
 * serializer restores it with the field null, and the committer still reads such a summary's
 * {@code receiptsRoot} and {@code receipts}).
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
    /** Set by the committer from {@code receiptLeaves} (VERSION 1 summaries carry it from the executor). */
    public byte[] receiptsRoot;
    /** VERSION 1 summaries only: packed Avro binary Receipts. */
    public byte[] receipts;
    /**
     * Packed receipts-root leaves ({@code Receipts.leaf}: the canonical receipt bytes, chain id and
     * height implied by the block): the committer derives the receipts root and the Receipt feed
     * records from them, off the executor's serial thread.
     */
    public byte[] receiptLeaves;
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
