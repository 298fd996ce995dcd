package io.bitquan.flow.execution.chain;

import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateChange;
import java.util.List;

/**
 * What processing one chain event did. For a rejected block, {@code stateRoot} is the unchanged
 * root and the lists are empty.
 */
public record BlockReport(String chainId, long height, byte[] headerId, boolean accepted, RuleViolation violation,
                          byte[] stateRoot, byte[] blockHash, byte[] receiptsRoot, List<Receipt> receipts,
                          List<StateChange> changes, long fees, int txCount, boolean divergence,
                          boolean disconnect, ExecutionStats stats) {

    /** The CLI's per-block line: {@code block <height> accepted root=<hex>} or {@code ... rejected rule=<id>}. */
    public String line() {
        if (disconnect) {
            return accepted ? "block " + height + " disconnected root=" + Bytes.hex(stateRoot)
                    : "block " + height + " disconnect-rejected rule=" + violation.rule().id();
        }
        return accepted ? "block " + height + " accepted root=" + Bytes.hex(stateRoot)
                : "block " + height + " rejected rule=" + violation.rule().id();
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
                .build();
    }
}
