package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.rules.Rule;

/**
 * What the block index knows about a header id (like Bitcoin Core's CBlockIndex status bits).
 * A block whose body did not match its header never gets an entry: the body says nothing about
 * the header, so the right body can still arrive and apply (CVE-2012-2459's lesson).
 *
 * @param rule   for {@link Status#INVALID}: the consensus rule it broke (or its parent's)
 */
public record IndexEntry(long height, byte[] parentId, Status status, Rule rule, String reason) {

    public enum Status {
        /** On the active chain (connected, not disconnected since). */
        ACTIVE,
        /** Was valid and connected once, then disconnected: a side branch now. */
        SIDE,
        /** Broke a consensus rule with its own body, or descends from such a block. */
        INVALID
    }

    static IndexEntry active(long height, byte[] parentId) {
        return new IndexEntry(height, parentId, Status.ACTIVE, null, null);
    }

    IndexEntry withStatus(Status s) {
        return new IndexEntry(height, parentId, s, rule, reason);
    }
}
