package io.bitquan.flow.execution.generator;

/** A spendable output the generator's wallet knows: where it is, how much, and whose key. */
record Coin(byte[] txId, int index, long amount, int owner) {}
