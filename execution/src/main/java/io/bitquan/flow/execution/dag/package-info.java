/**
 * Block-STM's predicted schedule: blocks whose every transaction has a complete predicted access
 * set (UTXO spends, coinbases, account transfers; contract calls with a declared access list) run
 * on their dependency graph instead of optimistically. The approach of Grevm 2.0's hint-based
 * DAG and of engines with declared accesses (Solana's Sealevel, Sui), kept exact the way Block-STM
 * is: a wrong prediction is detected at the access that proves it wrong and costs time, never
 * correctness.
 *
 * <h2>Tour</h2>
 * <ul>
 *   <li>{@link io.bitquan.flow.execution.dag.AccessDag}: the graph. Predictions (in parallel on
 *       the worker pool), then one serial pass that interns the block's keys into dense ids
 *       ({@link io.bitquan.flow.execution.dag.KeyIndex}) and links, per key, each accessor to
 *       the next one in block order, run by worker 0 while the others execute the linked prefix.
 *       Writes are exclusive; read-only accesses (a contract's code) are shared by the readers
 *       between two writes.</li>
 *   <li>{@link io.bitquan.flow.execution.dag.DagRun}: the run. One value slot per key id (the
 *       base value loaded by the first accessor), a predecessor count per transaction; a
 *       transaction ready when linked goes to a ready list, any other is run by whoever brings
 *       its count to zero, depth first; a worker with a deep stack gives half to a hungry one
 *       ({@link io.bitquan.flow.execution.dag.Donations}). The argument that the result is the
 *       sequential one is in its class comment. One worker never builds a graph: the engine
 *       runs the block in order.</li>
 *   <li>{@link io.bitquan.flow.execution.dag.ScheduledView}: the {@code StateAccess} the VM
 *       sees; finds a key among the transaction's predicted ones by equality (no hash lookup)
 *       and throws {@link io.bitquan.flow.execution.dag.Misprediction} for any other key, which
 *       voids the run: the engine then runs the block optimistically.</li>
 * </ul>
 * Entered from {@code BlockStmEngine} when {@code BlockStmOptions.predictedSchedule()} is on (the
 * default; strict test options leave it off unless a test switches it on, and the gates run both).
 */
package io.bitquan.flow.execution.dag;
