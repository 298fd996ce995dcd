package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.StateKey;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A block's transactions, decoded with their ids and hashes, and how to learn the signature
 * verdict: ChainRunner verifies on demand (after the structure checks, as a node does), the
 * Flink job brings the verdict of its parallel preparers.
 *
 * @param decodeViolation a body that could not be decoded ({@code txs} is then empty)
 * @param predicted       keys the block is expected to touch (prefetch hint; may be empty)
 */
public record PreparedBody(List<PreparedTx> txs, RuleViolation decodeViolation, Supplier<RuleViolation> signatures,
                           Set<StateKey> predicted) {}
