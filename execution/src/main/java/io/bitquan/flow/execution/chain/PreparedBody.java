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
 * @param capViolation    the caps the job's sequencer found before preparing ({@code txs} is then
 *                        empty); the first structure check, as {@code BlockRules.checkStructure}
 * @param capBodyMatchesHeader whether that over-cap body matches the header's tx root (then it
 *                        condemns the header, as any structure violation of a matching body does)
 * @param txRoot          the Merkle root of {@code txs}' hashes when whoever prepared them computed it
 *                        (the job's preparers, from per-chunk subtree roots: {@code MerkleSubtrees}),
 *                        or {@code null}: the core hashes them. The same trust as the hashes themselves:
 *                        it is their root, computed elsewhere; every rule that reads it is unchanged
 * @param capsChecked     the block-level caps already held on a byte count never below the block's
 *                        canonical encoding (the job's sequencer counts the bytes as sent): the
 *                        structure check then skips counting the canonical size again (it cannot
 *                        exceed the cap), every other rule as before
 */
public record PreparedBody(List<PreparedTx> txs, RuleViolation decodeViolation, Supplier<RuleViolation> signatures,
                           Set<StateKey> predicted, RuleViolation capViolation, boolean capBodyMatchesHeader,
                           byte[] txRoot, boolean capsChecked) {

    public PreparedBody(List<PreparedTx> txs, RuleViolation decodeViolation, Supplier<RuleViolation> signatures,
                        Set<StateKey> predicted, RuleViolation capViolation, boolean capBodyMatchesHeader, byte[] txRoot) {
        this(txs, decodeViolation, signatures, predicted, capViolation, capBodyMatchesHeader, txRoot, false);
    }

    public PreparedBody(List<PreparedTx> txs, RuleViolation decodeViolation, Supplier<RuleViolation> signatures,
                        Set<StateKey> predicted) {
        this(txs, decodeViolation, signatures, predicted, null);
    }

    public PreparedBody(List<PreparedTx> txs, RuleViolation decodeViolation, Supplier<RuleViolation> signatures,
                        Set<StateKey> predicted, byte[] txRoot) {
        this(txs, decodeViolation, signatures, predicted, null, false, txRoot);
    }

    /** A body the sequencer refused to prepare because it is over the caps. */
    public static PreparedBody overCaps(RuleViolation violation, boolean matchesHeader) {
        return new PreparedBody(List.of(), null, () -> null, Set.of(), violation, matchesHeader, null);
    }
}
