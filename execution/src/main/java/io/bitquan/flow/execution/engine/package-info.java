/**
 * The engine contract and the reference.
 *
 * <ul>
 *   <li>{@link io.bitquan.flow.execution.engine.ExecutionEngine}: executes one block over a base
 *       state; every implementation must return what
 *       {@link io.bitquan.flow.execution.engine.SequentialEngine} returns, byte for byte.</li>
 *   <li>{@link io.bitquan.flow.execution.engine.BlockOutput}: final write set (sorted), outcomes,
 *       fees, and the first violation with its position in the block
 *       ({@code violationTx}: the same meaning in every engine).</li>
 *   <li>{@link io.bitquan.flow.execution.engine.TransactionFailed}: the one typed failure every
 *       engine throws when the VM fails on a transaction with something other than a rule.</li>
 *   <li>{@link io.bitquan.flow.execution.engine.WriteBuffer}: a transaction's buffered writes
 *       over a view (the sequential engine's state).</li>
 *   <li>{@link io.bitquan.flow.execution.engine.Engines}: engines by command-line name, and their
 *       strict variants (no shortcuts, no fallbacks) for tests.</li>
 * </ul>
 */
package io.bitquan.flow.execution.engine;
