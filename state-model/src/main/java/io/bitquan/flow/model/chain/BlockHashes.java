package io.bitquan.flow.model.chain;

import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.commit.MerkleRoot;
import io.bitquan.flow.model.crypto.Blake3;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Header id, block hash and receipts root.
 *
 * <ul>
 *   <li>header id = BLAKE3("bitquan/header" | chainId | height | parentHash | timestamp | txRoot |
 *       expectedStateRoot?): the link a child's parentHash names. Known before execution, so the
 *       sequencer can check continuity without executing.
 *   <li>block hash = BLAKE3("bitquan/block" | header id | state root | receipts root): covers every
 *       header field, the tx root, and the execution result. This is the hash that must be
 *       identical across engines, thread counts, runs and machines.
 * </ul>
 */
public final class BlockHashes {
    private static final byte[] HEADER_DOMAIN = "bitquan/header".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BLOCK_DOMAIN = "bitquan/block".getBytes(StandardCharsets.US_ASCII);

    private BlockHashes() {}

    public static byte[] headerId(BlockHeader header) {
        CanonicalWriter w = new CanonicalWriter(160)
                .string(header.getChainId())
                .i64(header.getHeight())
                .bytes(Bytes.of(header.getParentHash()))
                .i64(header.getTimestamp())
                .bytes(Bytes.of(header.getTxRoot()));
        ByteBuffer expected = header.getExpectedStateRoot();
        w.bool(expected != null);
        if (expected != null) {
            w.bytes(Bytes.of(expected));
        }
        return Blake3.hash(HEADER_DOMAIN, w.toByteArray());
    }

    public static byte[] blockHash(byte[] headerId, byte[] stateRoot, byte[] receiptsRoot) {
        return Blake3.hash(BLOCK_DOMAIN, headerId, stateRoot, receiptsRoot);
    }

    public static byte[] txRoot(List<byte[]> txHashes) {
        return MerkleRoot.of(txHashes);
    }

    /** Canonical receipt encoding (chain id and height are implied by the block). */
    public static byte[] encodeReceipt(Receipt r) {
        CanonicalWriter w = new CanonicalWriter(96)
                .i32(r.getTxIndex())
                .bytes(Bytes.of(r.getTxId()))
                .bool(r.getSuccess())
                .string(r.getStatus())
                .i64(r.getFee())
                .i64(r.getGasUsed())
                .i32(r.getEvents().size());
        for (ByteBuffer event : r.getEvents()) {
            w.bytes(Bytes.of(event));
        }
        return w.toByteArray();
    }

    public static byte[] receiptsRoot(List<Receipt> receipts) {
        List<byte[]> leaves = new ArrayList<>(receipts.size());
        for (Receipt r : receipts) {
            leaves.add(encodeReceipt(r));
        }
        return MerkleRoot.of(leaves);
    }
}
