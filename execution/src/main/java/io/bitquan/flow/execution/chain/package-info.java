/**
 * The chain state machine without Flink: what a node does with each block event.
 *
 * <h2>Tour</h2>
 * <ul>
 *   <li>{@link io.bitquan.flow.execution.chain.ChainCore}: the one state machine (block index,
 *       tip, connect, disconnect from undo records, the reject decisions), shared by
 *       {@link io.bitquan.flow.execution.chain.ChainRunner} ({@code execute}, over a
 *       {@link io.bitquan.flow.execution.chain.MemoryChainStore}) and the Flink executor (over
 *       keyed state); it answers every event with
 *       {@link io.bitquan.flow.execution.chain.ChainDecision}s and never throws on input
 *       content.</li>
 *   <li>What it is offered: a {@link io.bitquan.flow.execution.chain.Candidate} (header first;
 *       body as a {@link io.bitquan.flow.execution.chain.PreparedBody} with ids, hashes and the
 *       signature verdict of the {@link io.bitquan.flow.execution.chain.BlockPreparer}, or of the
 *       job's parallel preparers); {@link io.bitquan.flow.execution.chain.AssumeValid} says whose
 *       signature checks may be skipped.</li>
 *   <li>What it keeps: {@link io.bitquan.flow.execution.chain.ChainStore} (state, tip, index,
 *       undo records, stored blocks), with {@link io.bitquan.flow.execution.chain.ChainTip},
 *       {@link io.bitquan.flow.execution.chain.IndexEntry},
 *       {@link io.bitquan.flow.execution.chain.UndoRecord} and
 *       {@link io.bitquan.flow.execution.chain.StoredBlock}, bounded by
 *       {@link io.bitquan.flow.execution.chain.ChainLimits}; byte encodings for stores that keep
 *       bytes in {@link io.bitquan.flow.execution.chain.ChainCodec}.</li>
 *   <li>What it reports: {@link io.bitquan.flow.execution.chain.BlockReport} per block,
 *       {@link io.bitquan.flow.execution.chain.Receipts}, and the state commitment's
 *       {@link io.bitquan.flow.execution.chain.CommitmentDelta}.</li>
 * </ul>
 * Execution itself is an {@code ExecutionEngine}'s ({@code execution.engine}, {@code blockstm}).
 */
package io.bitquan.flow.execution.chain;
