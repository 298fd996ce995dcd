package io.bitquan.flow.execution.chain;

/**
 * A block the core holds without having applied it: its parent is missing (a gap) or is not
 * the tip (a side branch). The body itself is stored beside it, as the caller's payload bytes.
 */
public record StoredBlock(long height, byte[] parentId, long arrival, int size) {}
