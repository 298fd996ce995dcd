/**
 * Block-STM (Gelashvili et al., "Block-STM: Scaling Blockchain Execution by Turning Ordering
 * Curse to a Performance Blessing", PPoPP'23): executes a block's transactions optimistically in
 * parallel and produces exactly the result of executing them one by one in block order.
 *
 * <h2>Tour: paper term -> class</h2>
 * <ul>
 *   <li><b>Thread loop</b> (Algorithm 1: {@code run}, {@code try_execute},
 *       {@code needs_reexecution}): {@link io.bitquan.flow.execution.blockstm.BlockRun}.</li>
 *   <li><b>MVMemory</b> (Algorithm 2): {@link io.bitquan.flow.execution.blockstm.MvMemory} —
 *       {@code record}, {@code validateReadSet}, {@code convertWritesToEstimates}, the final
 *       write set. One {@code VersionChain} per key per block is the key's interned identity:
 *       its base value (loaded once), its versions sorted by transaction (lock-free reads; a
 *       writer or reader just below the last writer is found by a short scan from the end), and
 *       read logs hold chains, so validation never looks a key up. Chains are found through
 *       {@link io.bitquan.flow.execution.blockstm.ChainTable}, a lock-free insert-only
 *       open-addressing table (a new key is one CAS; no node, monitor or shared size counter). A
 *       {@link io.bitquan.flow.execution.blockstm.Version} is (tx index, incarnation).</li>
 *   <li><b>VM execution</b> (Algorithm 3: reads through {@code MVMemory.read}, a local write
 *       set): {@link io.bitquan.flow.execution.blockstm.VersionedView}, the {@code StateAccess}
 *       the VM callback sees; one per worker, reused, primitive read logs deduplicated per key.</li>
 *   <li><b>ESTIMATE / READ_ERROR</b>: an aborted incarnation's writes become ESTIMATE markers; a
 *       read that hits one throws {@link io.bitquan.flow.execution.blockstm.ReadDependency} out of
 *       the VM callback, and the reader is suspended on the writer ({@code add_dependency}).</li>
 *   <li><b>Scheduler</b> (Algorithms 4 and 5): {@link io.bitquan.flow.execution.blockstm.Scheduler} —
 *       {@code execution_idx}, {@code validation_idx}, {@code decrease_cnt},
 *       {@code num_active_tasks}, {@code done_marker}, {@code nextTask}, {@code tryIncarnate},
 *       {@code addDependency}, {@code finishExecution}, {@code tryValidationAbort},
 *       {@code finishValidation}; lock-free (status and incarnation packed in one int per
 *       transaction, neighbours on different cache lines, changed by CAS; dependents in a lock-free stack with
 *       a closed marker). Status diagram: {@link io.bitquan.flow.execution.blockstm.TxStatus};
 *       tasks: {@link io.bitquan.flow.execution.blockstm.Task}.</li>
 *   <li><b>Threads</b>: {@link io.bitquan.flow.execution.blockstm.WorkerPool} owns them
 *       (created once per engine; the calling thread is worker 0; shutdown, interruption, error
 *       propagation).</li>
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
 *       sequential semantics. Any other VM failure, {@link java.lang.Error}s such as a stack
 *       overflow included, is recorded the same way and becomes a typed
 *       {@code TransactionFailed} only if it survives validation.</li>
 *   <li><b>Commutative credits</b> (as pevm's lazy recipients and Aptos's aggregators): a credit
 *       to an account the incarnation has not read ({@code StateAccess.credit}, a transfer's
 *       recipient) is stored as a DELTA entry instead of a read-modify-write, so credits to a hot
 *       account do not conflict. A read resolves the deltas above the last full value; the read
 *       log keeps (version of that value, sum of credits) and validation compares both. The final
 *       pass resolves credited keys in block order and finds a credit that leaves the money range
 *       at the same transaction, with the same message, as the sequential engine.</li>
 *   <li><b>Rolling commit index</b> (Aptos's {@code commit_idx}; not in the paper): an
 *       incarnation that starts over a committed prefix is FINAL and never validated; a FINAL
 *       incarnation is never aborted; the index moves past FINAL transactions by CAS. At one
 *       worker nothing is validated. Results are still read only after the run (no gas-limit
 *       cut-off).</li>
 *   <li><b>Per-key write stamps</b>: every modification of a key's chain bumps a monotonic
 *       stamp; a read logs the stamp of the state it resolved (moved past the incarnation's own
 *       later write of the key when nothing else intervened), and validation walks only the
 *       chains whose stamp moved. The stamp is also the chain's sequence lock (round 12): a
 *       writer holds it odd by CAS, readers resolve optimistically and retry on a moved stamp, so
 *       a write takes no monitor and allocates no view. Exactly as strict as the paper's check: the argument is at
 *       {@code MvMemory.validateReadSet}. Per-transaction slots are spread over cache lines
 *       ({@code TxSlots}).</li>
 *   <li><b>No wasted validation claims</b> (round 12): {@code nextTask} executes rather than
 *       claim (and so skip) a validation candidate that is still EXECUTING while transactions are
 *       left to start; {@code finishExecution} of the transaction at {@code validation_idx} claims
 *       its own validation by CAS.</li>
 *   <li><b>Narrow {@code wrote_new_location}</b>: a new location forces revalidation above only
 *       if a higher transaction already read the key (per-key max reader, fenced against the
 *       write).</li>
 *   <li><b>Predicted dependencies</b> ({@code io.bitquan.flow.execution.analysis}), off by default:
 *       before an incarnation runs, the worker suspends it on any predicted predecessor that is not
 *       yet EXECUTED, via the ordinary {@code addDependency}.</li>
 *   <li><b>Predicted schedule</b> ({@code io.bitquan.flow.execution.dag}, on by default): a
 *       block whose every transaction has a complete predicted access set skips the optimistic
 *       run: each transaction executes once, after its predecessors on its keys, on one value
 *       slot per key, with no multi-version memory and no validation. A transaction touching an
 *       unpredicted key voids that run and the block runs optimistically (the void executions
 *       count as aborts).</li>
 *   <li><b>Shortcuts</b>: blocks below a serial threshold (128, measured) run on the sequential engine;
 *       blocks whose predicted parallelism over their first 256 transactions is below 3 run
 *       sequentially (with the contention fallback off: below 2 on the calling thread alone,
 *       between 2 and 3 with waits on predicted predecessors); with one thread a block the
 *       predicted schedule does not take runs sequentially (the optimistic run at one worker is the
 *       sequential order plus bookkeeping); a run is abandoned and re-run sequentially when one key
 *       was written by more than half of the transactions so far (a hot key: the block is a chain),
 *       when more than one execution in 16 aborted (after 32 aborts), or when its aborts exceed half
 *       the block size (all {@code fallbacks = 1}).</li>
 *   <li><b>Output phase</b>: from three workers the final write set is collected per transaction
 *       slice, then sorted per key range (cut at quantiles of the collected writes) on the worker
 *       pool and concatenated ({@code WriteSetSorter}); at two workers (round 10: the key ranges
 *       cost more CPU and wall than they saved on this 2-vCPU machine) the run's workers collect
 *       it as they leave the done run, in chunks of transactions each claims in turn
 *       ({@code BlockRun.collectOutputInRun}, round 11), split each chunk at key cuts sampled
 *       from the written keys and then sort the key ranges they claim in turn
 *       ({@link io.bitquan.flow.execution.blockstm.RangeOutput}, round 20: until then the
 *       calling thread sorted the whole write set alone, the other worker idle); the caller
 *       concatenates the sorted ranges.
 *       Then the sequential engine's block-level check (coinbase claim) runs unchanged.</li>
 *   <li><b>Payoff check</b> ({@code ParallelPayoff}, defaults only): the engine times both ways per
 *       kind of block and runs the cheaper; since round 14 parallel is chosen when its median of
 *       three recent runs is at least 3% below in order's median and its cheapest run no dearer
 *       than in order's cheapest, so an in-order run on a slower vCPU cannot make a losing
 *       parallel way look cheaper while a 5-10% parallel win is taken (DESIGN §10 step 9).</li>
 *   <li><b>Invariant breaches</b> (illegal status transitions, ESTIMATEs left at the end) throw
 *       {@link io.bitquan.flow.execution.blockstm.InvariantViolation}; the engine then re-runs the
 *       block sequentially unless that fallback is switched off (it is, in tests).</li>
 *   <li><b>Idle workers</b> spin with {@code onSpinWait}, then yield, then park in 20 us slices, so
 *       oversubscribed pools (more workers than cores) still progress and an idle worker does not
 *       take the core of the one it waits for.</li>
 *   <li><b>Fees</b> are a block-level accumulator summed from outcomes after the run, so no
 *       transaction writes a shared fee key (the classic hotspot).</li>
 * </ul>
 */
package io.bitquan.flow.execution.blockstm;
