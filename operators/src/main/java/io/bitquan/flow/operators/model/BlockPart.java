package io.bitquan.flow.operators.model;

/**
 * What the sequencer sends towards the executor, directly ({@link Kind#START}, {@link Kind#REJECT},
 * {@link Kind#DISCONNECT}) or through the preparers ({@link Kind#CHUNK}, then
 * {@link Kind#PREPARED}). Every part carries the per-chain sequence number {@code seq} of its
 * unit; the executor applies units strictly in seq order, whatever path they took. A Flink POJO
 * (one class for all kinds keeps the union of both paths a single type without Kryo).
 *
 * <p>Layout VERSION 3 (VERSION 1 plus {@code strippedSignatureBytes} in VERSION 2 and
 * {@code txRootTiles} in VERSION 3: fields added to a Flink POJO, so state written with an earlier
 * layout restores with them 0 / null, i.e. chunks with their signatures and no subtree roots).
 * Fields by kind:
 * <ul>
 *   <li>START: height, header (Avro binary BlockHeader), txCount, chunkCount; rule and reason
 *       when the sequencer's caps rejected the block (then chunkCount is 0)</li>
 *   <li>CHUNK: blockId, chunkIndex, firstTx, txs (packed Avro binary Transactions)</li>
 *   <li>PREPARED: CHUNK's fields + txIds, txHashes (packed), predictedKeys (packed canonical
 *       key bytes), sigViolationTx (-1 = all signatures valid), rule, reason,
 *       strippedSignatureBytes (txs without signatures when &gt; 0), txRootTiles (packed roots of
 *       the aligned Merkle subtrees that tile the chunk's range of tx hashes, {@code MerkleSubtrees})</li>
 *   <li>REJECT: height, blockId, rule, reason (a block the sequencer gave up on)</li>
 *   <li>DISCONNECT: height, blockId</li>
 * </ul>
 */
public class BlockPart {
    public enum Kind { START, CHUNK, PREPARED, REJECT, DISCONNECT }

    public Kind kind;
    public String chainId;
    public long seq;
    public long height;
    public byte[] header;
    public byte[] blockId;
    public int txCount;
    public int chunkCount;
    public int chunkIndex;
    public int firstTx;
    public byte[] txs;
    public byte[] txIds;
    public byte[] txHashes;
    public byte[] predictedKeys;
    public int sigViolationTx = -1;
    /**
     * PREPARED only: 0 when {@code txs} are as sent; otherwise the preparer removed every
     * signature (witness stripping) and this is the scheme's signature length, which the executor
     * restores as zeros for the structure check ({@code prepare.Witnesses}).
     */
    public int strippedSignatureBytes;
    /**
     * PREPARED only: the roots of the aligned subtrees tiling this chunk's tx hashes
     * ({@code MerkleSubtrees.roots(firstTx, hashes)}), packed; the executor combines every chunk's
     * into the block's tx root. Null (a part from before layout VERSION 3): the executor hashes.
     */
    public byte[] txRootTiles;
    public String rule;
    public String reason;
    /** START over the caps only: whether its body matches the header's tx root. */
    public boolean bodyMatchesHeader;

    public BlockPart() {}

    public static BlockPart of(Kind kind, String chainId, long seq) {
        BlockPart p = new BlockPart();
        p.kind = kind;
        p.chainId = chainId;
        p.seq = seq;
        return p;
    }

    /**
     * The preparer index of a chunk ({@code EvenPartitioner}: modulo the parallelism): consecutive
     * chunks of a block on consecutive subtasks, each block starting one further on, so chunks
     * spread evenly at any parallelism. Routing only: no result depends on it.
     */
    public int preparerIndex() {
        return chainId.hashCode() + (int) seq + chunkIndex;
    }
}
