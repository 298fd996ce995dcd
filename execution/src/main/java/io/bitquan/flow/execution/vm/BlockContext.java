package io.bitquan.flow.execution.vm;

import io.bitquan.flow.model.chain.ChainConfig;

/** What every transaction of a block may know about the block: height, timestamp, chain rules. */
public record BlockContext(ChainConfig config, long height, long timestamp) {}
