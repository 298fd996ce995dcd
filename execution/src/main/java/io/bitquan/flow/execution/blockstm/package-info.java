/**
 * Block-STM (Gelashvili et al., "Block-STM: Scaling Blockchain Execution by Turning Ordering
 * Curse to a Performance Blessing", PPoPP'23): executes a block's transactions optimistically in
 * parallel and produces exactly the result of executing them one by one in block order.
 *
 * <h2>Tour: paper term -> class</h2>
 * <ul>
 *   <li><b>Transaction index, incarnation, version</b> (Section 3): {@link
 *       io.bitquan.flow.execution.blockstm.Version} = (tx index, incarnation). Each re-execution
 *       of a transaction is a new incarnation.</li>
 *   <li><b>MVMemory</b> (Algorithm 2): {@link io.bitquan.flow.execution.blockstm.MvMemory} —
 *       {@code record}, {@code read}, {@code validateReadSet}, {@code convertWritesToEstimates},
 *       {@code snapshot}; one {@code VersionChain} per key (sorted versions, lock-free reads). Read descriptors: {@link io.bitquan.flow.execution.blockstm.ReadDescriptor}
 *       (a version, or base storage).</li>
 *   <li><b>ESTIMATE / READ_ERROR</b>: an aborted incarnation's writes become ESTIMATE markers; a
 *       read that hits one throws {@link io.bitquan.flow.execution.blockstm.ReadDependency} out of
 *       the VM callback, and the reader is suspended on the writer ({@code add_dependency}).</li>
 *   <li><b>VM + read/write sets</b> (Algorithm 1 lines 1-20): {@link
 *       io.bitquan.flow.execution.blockstm.VersionedView} is the {@code StateAccess} the VM
 *       callback sees during one incarnation.</li>
 *   <li><b>Scheduler</b> (Algorithm 4): {@link io.bitquan.flow.execution.blockstm.Scheduler} —
 *       {@code execution_idx}, {@code validation_idx}, {@code decrease_cnt},
 *       {@code num_active_tasks}, {@code done_marker}, {@code nextTask}, {@code tryIncarnate},
 *       {@code addDependency}, {@code finishExecution}, {@code tryValidationAbort},
 *       {@code finishValidation}. Status: {@link io.bitquan.flow.execution.blockstm.TxStatus}
 *       (transition diagram in its Javadoc); tasks: {@link io.bitquan.flow.execution.blockstm.Task}.</li>
 *   <li><b>Thread loop</b> (Algorithm 1, {@code run}, {@code try_execute},
 *       {@code needs_reexecution}): {@link io.bitquan.flow.execution.blockstm.BlockRun}.</li>
 *   <li><b>Threads</b>: {@link io.bitquan.flow.execution.blockstm.WorkerPool} owns them
 *       (created once per engine, shutdown, interruption, error propagation).</li>
 *   <li><b>Entry point</b>: {@link io.bitquan.flow.execution.blockstm.BlockStmEngine}, an
 *       {@code ExecutionEngine} like the sequential reference, configured by
 *       {@link io.bitquan.flow.execution.blockstm.BlockStmOptions}.</li>
 * </ul>
 *
 * <h2>Where we differ from the paper</h2>
 * <ul>
 *   <li><b>Rule violations are outcomes.</b> A transaction that breaks a consensus rule records
 *       its read set and an empty write set; the violation is only final once the block is done
 *       (all incarnations validated). The lowest violating index then rejects the block, which is
 *       sequential semantics. Other VM exceptions are treated the same way and rethrown, as the
 *       sequential engine would, only if they survive validation.</li>
 *   <li><b>No early commit / no gas-limit cut-off</b>: the block runs to completion, then results
 *       are read in order (the paper's output phase).</li>
 *   <li><b>Predicted dependencies</b> ({@code io.bitquan.flow.execution.analysis}): before an
 *       incarnation runs, the worker suspends it on any predicted predecessor (a UTXO input
 *       created earlier in the block, a shared account, a declared contract access) that is not
 *       yet EXECUTED, via the ordinary {@code addDependency}. This orders work instead of paying
 *       an abort; the paper has no such step (Aptos later added static-analysis hints). Off by
 *       default: on light transactions the waits cost more than the aborts they save
 *       (measured); the analyzer's prefix sample still drives the contention check.</li>
 *   <li><b>Shortcuts</b>: blocks below a serial threshold (128, measured) run on the sequential engine;
 *       blocks whose predicted parallelism over their first 1,024 transactions is below 3 run
 *       sequentially; a run whose aborts exceed half the block size is abandoned and re-run
 *       sequentially (both {@code fallbacks = 1}).</li>
 *   <li><b>Output phase</b>: the final write set is sorted on the worker pool
 *       ({@code WriteSetSorter}), then the sequential engine's block-level check (coinbase
 *       claim) runs unchanged.</li>
 *   <li><b>Invariant breaches</b> (illegal status transitions, ESTIMATEs left at the end) throw
 *       {@link io.bitquan.flow.execution.blockstm.InvariantViolation}; the engine then re-runs the
 *       block sequentially unless that fallback is switched off (it is, in tests).</li>
 *   <li><b>Idle workers</b> spin with {@code onSpinWait} and yield every 32 empty polls instead of
 *       parking, so oversubscribed pools (more workers than cores) still progress.</li>
 *   <li><b>Fees</b> are a block-level accumulator summed from outcomes after the run, so no
 *       transaction writes a shared fee key (the classic hotspot).</li>
 * </ul>
 */
package io.bitquan.flow.execution.blockstm;
