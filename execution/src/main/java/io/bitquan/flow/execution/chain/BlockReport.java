package io.bitquan.flow.execution.chain;

import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateChange;
import java.util.List;

/**
 * What processing one chain event did to one block. For a rejected block, {@code stateRoot} is
 * the unchanged root and the lists are empty. {@link Status#STORED} and {@link Status#DUPLICATE}
 * blocks changed nothing and have no feed record ({@link #feeds()}). {@code sequence} is the feed
 * sequence number its BlockResult gets (its diffs, then its receipts, take the next ones), -1 for
 * reports without a feed record: the same numbering as the job's committer.
 */
public record BlockReport(String chainId, long height, byte[] headerId, boolean accepted, RuleViolation violation,
                          byte[] stateRoot, byte[] blockHash, byte[] receiptsRoot, List<Receipt> receipts,
                          List<StateChange> changes, long fees, int txCount, boolean divergence,
                          boolean disconnect, ExecutionStats stats, Status status, String note,
                          long sequence) {

    public enum Status { CONNECTED, REJECTED, DISCONNECTED, DISCONNECT_REJECTED, STORED, DUPLICATE }

    /** Whether a BlockResult (and diffs, receipts) goes to the feeds for this report. */
    public boolean feeds() {
        return status != Status.STORED && status != Status.DUPLICATE;
    }

    /**
     * The CLI's per-block line: {@code block <height> accepted root=<hex>}, {@code ... rejected rule=<id>},
     * {@code ... disconnected root=<hex>}, {@code ... disconnect-rejected rule=<id>},
     * {@code ... stored <why>} or {@code ... duplicate}.
     */
    public String line() {
        return switch (status) {
            case CONNECTED -> "block " + height + " accepted root=" + Bytes.hex(stateRoot);
            case REJECTED -> "block " + height + " rejected rule=" + violation.rule().id();
            case DISCONNECTED -> "block " + height + " disconnected root=" + Bytes.hex(stateRoot);
            case DISCONNECT_REJECTED -> "block " + height + " disconnect-rejected rule=" + violation.rule().id();
            case STORED -> "block " + height + " stored id=" + Bytes.hex(headerId) + " (" + note + ")";
            case DUPLICATE -> "block " + height + " duplicate id=" + Bytes.hex(headerId);
        };
    }

    public BlockResult toBlockResult() {
        return BlockResult.newBuilder()
                .setChainId(chainId)
                .setHeight(height)
                .setBlockId(Bytes.wrap(headerId))
                .setAccepted(accepted)
                .setRejectedRule(accepted ? null : violation.rule().id())
                .setRejectedReason(accepted ? null : violation.getMessage())
                .setBlockHash(blockHash == null ? null : Bytes.wrap(blockHash))
                .setStateRoot(Bytes.wrap(stateRoot))
                .setReceiptsRoot(receiptsRoot == null ? null : Bytes.wrap(receiptsRoot))
                .setTxCount(txCount)
                .setFees(fees)
                .setDivergence(divergence)
                .setDisconnected(disconnect)
                .setSequence(sequence)
                .build();
    }
}
