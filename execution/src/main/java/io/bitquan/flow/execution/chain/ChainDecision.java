package io.bitquan.flow.execution.chain;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateChange;
import java.util.List;

/**
 * What the chain core decided, one per block it touched: an event can yield several (a block that
 * fills a gap releases the blocks that waited for it; a stored block evicts older ones). The core
 * never throws on input content: every bad input is a {@link Rejected} with its rule.
 */
public sealed interface ChainDecision {

    long height();

    byte[] headerId();

    /** Applied: the state changes (old values included); the receipts follow from the outcomes. */
    record Connected(BlockHeader header, byte[] headerId, List<PreparedTx> txs, BlockOutput output,
                     List<StateChange> changes) implements ChainDecision {
        public long height() {
            return header.getHeight();
        }

        /**
         * The receipts, in block order, built on each call (not by the core: the Flink executor
         * ships {@link Receipts#leaf} bytes instead and never needs the records).
         */
        public List<Receipt> receipts() {
            return Receipts.of(header, txs, output.outcomes());
        }
    }

    /** The tip was disconnected: {@code reverted} are the inverse changes, in key order. */
    record Disconnected(long height, byte[] headerId, byte[] newTipId, List<StateChange> reverted) implements ChainDecision {}

    /**
     * Not applied; nothing changed. {@code condemned}: the header is now known invalid (its body
     * matched it); otherwise a later block with the same header may still apply.
     */
    record Rejected(String chainId, long height, byte[] headerId, RuleViolation violation, int txCount,
                    ExecutionStats stats, boolean disconnect, boolean condemned) implements ChainDecision {}

    /** Held unapplied, waiting for its parent or on a side branch ({@code why} says which). */
    record Stored(long height, byte[] headerId, byte[] parentId, String why) implements ChainDecision {}

    /** Already on the active chain: ignored. */
    record Duplicate(long height, byte[] headerId) implements ChainDecision {}
}
