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
 *   <li>{@link io.bitquan.flow.execution.dag.PredictedRun}: the block in one pool job (round
 *       7): the workers predict the access sets in chunks, the worker that finishes the last
 *       chunk builds the graph (round 13; worker 0 until then), and every worker goes on into the
 *       run without a second hand-off. A
 *       transaction without a complete prediction runs nothing (the block goes optimistic).</li>
 *   <li>{@link io.bitquan.flow.execution.dag.AccessDag}: the graph. Predictions
 *       ({@link io.bitquan.flow.execution.dag.NativePrediction} for native transactions), then
 *       a pass that interns the block's keys into dense ids
 *       ({@link io.bitquan.flow.execution.dag.KeyIndex}) and links, per key, each accessor to
 *       the next one in block order, run by the worker that built the graph while the others
 *       execute the linked prefix (round 17: with two or more workers, one linker per key shard,
 *       {@link io.bitquan.flow.execution.dag.Shards}, the shards linked at once);
 *       it also lists the keys the block may write. Writes are exclusive; read-only accesses (a
 *       contract's code) are shared by the readers between two writes.</li>
 *   <li>{@link io.bitquan.flow.execution.dag.DagRun}: the run. One value slot per key id (the
 *       base value loaded by the first accessor). Round 19: workers take transactions in block
 *       order from a shared cursor, a chunk at a time, below what the linker has published; one
 *       whose predecessors (the graph's per-access predecessor lists) have all finished runs at
 *       once, one that is blocked waits on an unfinished predecessor's stack
 *       ({@link io.bitquan.flow.execution.dag.Waiters}: one word per transaction) and is run by
 *       that predecessor's worker right after it, depth first; a worker with a deep stack gives
 *       half to a hungry one ({@link io.bitquan.flow.execution.dag.Donations}). Rounds 7-18 ran
 *       every transaction with a predecessor depth first from successor stacks and predecessor
 *       counts (the release protocol, deleted in round 20). The argument that the result is the
 *       sequential one is in its class comment. One worker never builds a graph: the engine runs
 *       the block in order. {@link io.bitquan.flow.execution.dag.Phases} marks where each worker
 *       is for a probe's wall-time itemisation (off unless {@code -Dbitquan.dag.phases=true}).</li>
 *   <li>The output, off the critical path (round 7): with a complete prediction the write set's
 *       keys are known before execution, so the linker sorts them as soon as it has linked the
 *       last transaction ({@link io.bitquan.flow.execution.dag.IdOrder}: radix passes over the
 *       prefixes the key index keeps; ties read the keys only where the prediction does not
 *       already know their order, a transaction's outputs being listed in key order), each
 *       worker makes write objects for chunks of that order as it finds the block finished, and
 *       the caller only checks the workers' written logs (a declared write not made is
 *       dropped).</li>
 *   <li>{@link io.bitquan.flow.execution.dag.ScheduledView}: the {@code StateAccess} the VM
 *       sees. Keys are built once per block (round 9): the rules ask the view for their keys
 *       ({@code accountKey}, {@code utxoKey}) and get the instance the prediction built and
 *       hashed and the graph interned, once its whole encoding is compared with the bytes the
 *       rules would build it from; the view then finds a handed key among the transaction's
 *       accesses by identity (a key the VM built itself by equality; no hash lookup either way)
 *       and throws {@link io.bitquan.flow.execution.dag.Misprediction} for any other key, which
 *       voids the run: the engine then runs the block optimistically. The key binding hash
 *       likewise (round 10): the prediction pass hashes each account transfer's (and listed
 *       contract call's; not a spend's, measured) presented public key ({@link io.bitquan.flow.execution.dag.KeyBinding},
 *       held by the block's prediction records only, never memoized on the transactions), and
 *       the view's {@code publicKeyHash} hands the hash only for bytes equal to the hashed
 *       ones, else hashes: the hash leaves the lopsided run for the evenly shared prediction
 *       pass (round 12: with one reused hash state per chunk, {@link io.bitquan.flow.execution.dag.KeyHasher}).
 *       Base values too (round 12): an account transfer's prediction reads both keys' values
 *       from the base, and the linker puts them into a key's slot when it interns the key for
 *       its first accessor, so the run of a transfer block reads nothing from the base (the base
 *       reads were 47 % of its samples at two workers, in the lopsided run).</li>
 * </ul>
 * Entered from {@code BlockStmEngine} when {@code BlockStmOptions.predictedSchedule()} is on (the
 * default; strict test options leave it off unless a test switches it on, and the gates run both).
 */
package io.bitquan.flow.execution.dag;
