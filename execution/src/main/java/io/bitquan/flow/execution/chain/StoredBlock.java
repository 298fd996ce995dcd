package io.bitquan.flow.execution.chain;

/**
 * A block the core holds without having applied it: its parent is missing (a gap, {@code waiting})
 * or is not the tip (a side branch). The body itself is stored beside it, as the caller's payload
 * bytes. Only a waiting block applies by itself when its parent connects: a side-branch block
 * applies when it is sent again or a descendant arrives, never on a guess.
 */
public record StoredBlock(long height, byte[] parentId, long arrival, int size, boolean waiting) {}
