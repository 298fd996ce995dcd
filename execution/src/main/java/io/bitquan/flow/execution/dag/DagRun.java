package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.blockstm.InvariantViolation;
import io.bitquan.flow.execution.blockstm.IdleWait;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionStats;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.engine.TransactionFailed;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One block run on the predicted schedule: every transaction executes once, after each earlier
 * transaction that shares a predicted key has finished, directly on one value slot per key.
 *
 * <p><b>Why the result is the sequential one.</b> A transaction runs only when, on each of its
 * keys, the previous writer has finished and, for a key it writes, every reader since as well
 * ({@link AccessDag}); and no later writer of those keys starts before it finished. So while it
 * runs, each of its keys holds exactly what sequential execution would have left there, and
 * nobody else writes them. Keys it does not predict it
 * cannot touch ({@link Misprediction} discards the run). Rule violations: every transaction
 * below the first sequential violation runs as sequentially; the violation itself then shows up
 * at that index, and anything observed above it is ignored (the lowest index wins, as in
 * {@link SequentialEngine}).
 *
 * <p><b>Protocol (round 19).</b> Workers take transactions in block order from a shared cursor,
 * {@link #CURSOR_CHUNK} at a time, never past what every linker has published
 * ({@link AccessDag#linked()}: the linker links while the others run, see {@link #work}). At
 * each, a worker reads its predecessors' words in {@link Waiters}: all finished, it runs the
 * transaction at once, in block order, on the lines the prediction and the previous transaction
 * left in its cache, and touches nothing shared but that transaction's own word; one not
 * finished, it pushes the transaction onto that predecessor's stack and goes on with the next
 * index. A worker finishing a transaction swaps its word to finished and takes the stack: each
 * transaction there whose predecessors have now all finished it runs next, depth first (so a
 * hot key's chain stays on the core that holds its lines); one still blocked moves to the next
 * unfinished predecessor's stack. So a transaction runs when each of its linked predecessors has
 * finished, which is the condition above; each runs exactly once ({@link Waiters}: the cursor
 * visits it once, and it is pushed onto a stack only by whoever holds it, with a CAS that fails
 * once that predecessor has finished); and a worker reading "finished" for a predecessor sees
 * its slot writes (a volatile swap, then a volatile read). A transaction is visited only below
 * the linked bound the visiting worker read (a volatile read after the linkers' plain writes of
 * its predecessor lists), so its list is complete when read. A worker with nothing to run says so
 * ({@code hungry}); a worker whose stack then holds two or more runnable transactions gives it the
 * older half ({@link Donations}), and whoever takes one runs it (its predecessors all finished).
 * Workers stop when the finished count (added per worker when it runs dry, not per transaction)
 * reaches the block size, or, after a violation, when every transaction up to it has a result: a
 * transaction above the lowest violation is neither run nor marked finished, so what waits for
 * it never runs. At one worker nothing is ever blocked: the run is in block order.
 *
 * <p>Rounds 7-18 ran the graph depth first from successor stacks and per-transaction pending
 * counts (the release protocol); round 19 measured the cursor cheaper at one and two workers and
 * round 20 deleted the release (docs/PERFORMANCE.md).
 */
public final class DagRun {
    /** A slot holding an absent value ({@link AccessDag#ABSENT}). */
    private static final Object ABSENT = AccessDag.ABSENT;
    /** Transactions the linker publishes at a time: the others wait for the first chunk only. */
    private static final int LINK_CHUNK = 64;
    /**
     * Transactions a worker takes from the cursor per CAS (cursor graph): enough that most
     * predecessors on a hot key lie in the worker's own chunk, already run, and that two workers'
     * chunks rarely share a line of the per-transaction arrays; {@code -Dbitquan.dag.cursorChunk}.
     */
    static final int CURSOR_CHUNK = Integer.getInteger("bitquan.dag.cursorChunk", 32);
    /** The cursor's slot in {@link #cursorLine}: 64 bytes of unused slots either side keep it off other hot fields' lines. */
    private static final int CURSOR = 16;

    private final AccessDag dag;
    private final BlockContext block;
    private final List<PreparedTx> txs;
    private final StateView base;
    private final TransactionVm vm;
    /** Value slots by key id ({@link AccessDag#values}: the linker may have filled a new key's from the prediction). */
    private final Object[] values;
    /** Each worker's own things, kept for {@link #collect} (its log of written keys). */
    private final java.util.Queue<Local> locals = new java.util.concurrent.ConcurrentLinkedQueue<>();
    /** Who finished, who is blocked on whom (null at one worker: nothing waits). */
    private final Waiters waiters;
    /** The next transaction no worker has taken, at {@link #CURSOR} (CAS by the workers). */
    private final AtomicIntegerArray cursorLine = new AtomicIntegerArray(2 * CURSOR);
    /**
     * Per transaction that did not make an outcome: its RuleViolation or VM failure (a
     * Throwable). Outcomes go to {@link #outcomes} only: one store per transaction into lines
     * both cores write, not two (neighbouring transactions often run on different workers).
     */
    private final Object[] results;
    /** Per transaction: its TxOutcome (null if it failed or did not run), typed for the output list. */
    private final TxOutcome[] outcomes;
    /** Lowest index with a violation or failure so far; transactions above it need not run. */
    private final AtomicInteger stopAt;
    private final java.util.concurrent.atomic.AtomicLong executions = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean mispredicted;
    /** Whether {@link AccessDag#writable} is in key order (set by the linker after its last chunk). */
    private volatile boolean writableSorted;
    /** The write of each key in {@link AccessDag#writable}'s sorted order (allocated by the sort, filled by {@link #makeWrites}). */
    private StateWrite[] writes;
    private int writeChunks;
    /** Chunks of {@link #writes} claimed by the workers making them. */
    private final AtomicInteger writeClaims = new AtomicInteger();
    /** Writes made per claim: enough to amortise the shared counter, few enough to split a block's writes. */
    private static final int WRITE_CHUNK = 1024;
    private final boolean inOrder;
    /** The worker that links the graph and sorts the writable keys (see {@link #work}). */
    private final int linker;
    /** Runnable transactions a busy worker handed to idle ones (see {@link Donations}). */
    private final Donations shared;
    /** Workers that found nothing to run: a busy worker with a deep stack then donates half of it. */
    private final AtomicInteger hungry = new AtomicInteger();
    /** Transactions finished, added per worker when it runs out of work (not per transaction). */
    private final AtomicInteger finished = new AtomicInteger();
    private static final java.lang.invoke.VarHandle RESULTS = java.lang.invoke.MethodHandles.arrayElementVarHandle(Object[].class);
    private static final java.lang.invoke.VarHandle OUTCOMES = java.lang.invoke.MethodHandles.arrayElementVarHandle(TxOutcome[].class);

    public DagRun(AccessDag dag, BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm) {
        this(dag, block, txs, base, vm, 0);
    }

    /**
     * @param workers how many workers will run it; with exactly one, block order is a valid
     *                schedule and the graph only serves to find keys: the worker runs the
     *                transactions in order (chains run depth first would send it through
     *                the block, away from the transaction data it just touched). 0 = unknown.
     */
    public DagRun(AccessDag dag, BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int workers) {
        this(dag, block, txs, base, vm, workers, 0);
    }

    /**
     * @param linker the worker that links the graph ({@link #work}): {@link PredictedRun} gives
     *               the one that built it, whichever that is, so no worker waits on another that
     *               the OS has descheduled (round 13)
     */
    DagRun(AccessDag dag, BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int workers, int linker) {
        this.linker = linker;
        this.inOrder = workers == 1;
        this.dag = dag;
        this.block = block;
        this.txs = txs;
        this.base = base;
        this.vm = vm;
        int n = dag.txCount;
        this.waiters = inOrder ? null : new Waiters(n); // in order: nothing waits
        this.stopAt = new AtomicInteger(n);
        this.shared = new Donations(n);
        this.values = dag.values;
        this.results = new Object[n];
        this.outcomes = new TxOutcome[n];
    }

    /**
     * One worker's loop ({@link WorkerPool.Job}). The linker (worker 0 unless the constructor
     * named another: in {@link PredictedRun} the worker that built the graph) first links the whole graph, a chunk at
     * a time (linking is several times cheaper per transaction than executing one, so the others,
     * executing behind it, never catch up after the first chunk) and sorts the keys the block may
     * write ({@link #sortWritable}); then every worker claims and runs, and, finding the block
     * finished, helps make the write objects ({@link #makeWrites}).
     */
    public void work(int worker, WorkerPool.Stop stop) {
        int n = dag.txCount;
        // One linker: the worker named (the one that built the graph). Several (round 17): each
        // worker takes shards until none is left, so a worker the OS has not run yet holds none back
        for (int s = dag.linkers.length == 1 ? (worker == linker ? dag.claimShard() : -1) : dag.claimShard(); s >= 0;
                s = dag.claimShard()) {
            for (int upTo = 0; upTo < n && !mispredicted && !stop.raised(); ) {
                upTo = Math.min(n, upTo + LINK_CHUNK);
                dag.link(s, upTo);
            }
        }
        if (!mispredicted && (worker == linker || dag.linkers.length > 1) && dag.claimSort()) {
            sortWritable(); // every shard linked: every writable key is listed
        }
        Local local = new Local(new ScheduledView(this, dag), new int[Math.min(n, 1024)]);
        locals.add(local);
        if (Phases.ON) {
            Phases.mark(worker, Phases.RUN);
        }
        if (inOrder) {
            for (int t = 0; t < n && t <= stopAt.get() && !mispredicted && !stop.raised(); t++) {
                if (!execute(t, local)) {
                    break;
                }
                local.executed++;
            }
            executions.addAndGet(local.executed);
            return;
        }
        try {
            boolean hungry = false;
            for (int idle = 0; !mispredicted && !stop.raised(); ) {
                if (claimCursor(local, stop)) {
                    hungry = fed(hungry);
                    idle = 0;
                    continue;
                }
                int donated = shared.take();
                if (donated >= 0) {
                    hungry = fed(hungry);
                    idle = 0;
                    runFrom(donated, local, stop); // its predecessors all finished: see runFrom
                    continue;
                }
                flush(local);
                if (finished.get() >= n) {
                    if (Phases.ON) {
                        Phases.mark(worker, Phases.RAN);
                        Phases.waited(worker, Phases.EXECUTED, local.executed);
                    }
                    makeWrites(); // every slot final: help make the write set (see makeWrites)
                    return;
                }
                if (stopAt.get() < n && allDoneBelowStop(local)) {
                    return;
                }
                if (!hungry) {
                    hungry = true;
                    this.hungry.incrementAndGet();
                }
                long waitFrom = Phases.ON ? System.nanoTime() : 0;
                idle = IdleWait.backOff(idle); // spin, yield, then park: the worker waited for may share this vCPU
                if (Phases.ON) {
                    Phases.waited(worker, dag.linked() >= n ? Phases.WAIT_TAIL : Phases.WAIT_BOUND, System.nanoTime() - waitFrom);
                }
            }
        } finally {
            flush(local);
            executions.addAndGet(local.executed);
        }
    }

    /**
     * Takes up to {@link #CURSOR_CHUNK} transactions from the cursor, below the linked bound, and
     * visits them in block order: each whose predecessors have all finished runs here (with
     * whatever its finish releases), each other one waits on a predecessor's stack
     * ({@link Waiters#blockOn}). False when the cursor is at the block's end or at what the
     * linkers have published (the caller looks for donations, then again); true after a chunk or
     * a lost race.
     */
    private boolean claimCursor(Local local, WorkerPool.Stop stop) {
        int from = cursorLine.get(CURSOR);
        if (from >= dag.txCount) {
            return false;
        }
        if (from >= local.linkedBound) {
            local.linkedBound = dag.linked(); // volatile reads after the linkers' writes of the lists below it
            if (from >= local.linkedBound) {
                return false;
            }
        }
        int to = Math.min(local.linkedBound, from + CURSOR_CHUNK);
        if (!cursorLine.compareAndSet(CURSOR, from, to)) {
            return true;
        }
        for (int t = from; t < to && !mispredicted && !stop.raised(); t++) {
            if (t <= stopAt.get() && !waiters.blockOn(t, dag)) {
                runFrom(t, local, stop);
            }
        }
        return true;
    }

    /**
     * Runs {@code t}, whose predecessors have all finished, then, depth first, each transaction its
     * finish unblocks (cursor graph): those found on its stack in {@link Waiters} with no
     * predecessor left unfinished; one still blocked moves on to the next predecessor's stack. A
     * transaction above the lowest violation is not run and not marked finished (see the class
     * comment); a stop raised while a chain runs ends it at the next transaction (a chain run depth
     * first can be much of the block).
     */
    private void runFrom(int t, Local local, WorkerPool.Stop stop) {
        int top = 0;
        int next = t;
        while (!stop.raised()) {
            if (next <= stopAt.get() && !mispredicted) {
                if (!execute(next, local)) {
                    return;
                }
                local.executed++;
                local.unflushed++;
                for (int w = waiters.finish(next); w >= 0; ) {
                    int after = waiters.next(w); // before blockOn may push w onto another stack
                    if (!waiters.blockOn(w, dag)) {
                        top = push(local, top, w);
                    }
                    w = after;
                }
            }
            if (top == 0) {
                return;
            }
            if (top >= 2 && hungry.get() > 0) {
                top = shared.donate(local.stack, top);
            }
            next = local.stack[--top];
        }
    }

    /** Pushes {@code t} onto the worker's stack of runnable transactions; the new top. */
    private static int push(Local local, int top, int t) {
        if (top == local.stack.length) {
            local.stack = java.util.Arrays.copyOf(local.stack, top * 2);
        }
        local.stack[top] = t;
        return top + 1;
    }

    /** A worker that was hungry and found work stops asking for donations. */
    private boolean fed(boolean hungry) {
        if (hungry) {
            this.hungry.decrementAndGet();
        }
        return false;
    }

    /** Adds the worker's finished transactions not yet counted to the shared count (once per idle spell, not per transaction). */
    private void flush(Local local) {
        if (local.unflushed > 0) {
            finished.addAndGet(local.unflushed);
            local.unflushed = 0;
        }
    }

    /**
     * After a violation lowered {@link #stopAt}, transactions above it never run (nor unblock
     * theirs), so the count cannot reach n: done when every transaction up to it has a result.
     */
    private boolean allDoneBelowStop(Local local) {
        int stop = stopAt.get();
        for (; local.scanned <= stop && local.scanned < dag.txCount; local.scanned++) {
            if (OUTCOMES.getAcquire(outcomes, local.scanned) == null && RESULTS.getAcquire(results, local.scanned) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * A worker's own things: its view, its stack of runnable transactions, its execution count
     * (summed once at the end: a counter both cores bump per transaction costs a cache-line
     * transfer each time, measured as much CPU as the transfers themselves).
     */
    private static final class Local {
        final ScheduledView view;
        int[] stack;
        long executed;
        /** Fees of the outcomes this worker made (summed at collect: every outcome of an accepted block). */
        long fees;
        /** Finished here and not yet added to {@link #finished}. */
        int unflushed;
        /** Transactions below this have a result (see {@link #allDoneBelowStop}). */
        int scanned;
        /** Transactions below this were linked when this worker last looked ({@link #claimCursor}). */
        int linkedBound;

        Local(ScheduledView view, int[] stack) {
            this.view = view;
            this.stack = stack;
        }
    }

    /** Executes one transaction; false when it touched an unpredicted key (the run is void). */
    private boolean execute(int t, Local local) {
        ScheduledView view = local.view;
        view.aimAt(t);
        Object result;
        try {
            result = vm.execute(txs.get(t), block, view);
        } catch (Misprediction outside) {
            mispredicted = true;
            return false;
        } catch (RuleViolation violation) {
            result = violation;
        } catch (RuntimeException | Error failure) {
            if (!TransactionFailed.isTransactionFailure(failure)) {
                throw failure; // the machine, not the transaction: as the sequential engine
            }
            result = failure;
        }
        if (result instanceof TxOutcome outcome) {
            // The fee taken here, where the outcome was just made: the collect phase then reads
            // neither the outcome objects nor the results (measured: ~80 ns per transaction to
            // read back what the other core wrote).
            local.fees += outcome.fee();
            OUTCOMES.setRelease(outcomes, t, outcome);
        } else {
            RESULTS.setRelease(results, t, result);
            lowerStop(t);
        }
        return true;
    }

    private void lowerStop(int t) {
        int current = stopAt.get();
        while (t < current && !stopAt.compareAndSet(current, t)) {
            current = stopAt.get();
        }
    }

    StateValue value(int id) {
        Object v = values[id];
        if (v == null) {
            StateValue loaded = base.read(dag.keys.key(id));
            values[id] = loaded == null ? ABSENT : loaded;
            return loaded;
        }
        return v == ABSENT ? null : (StateValue) v;
    }

    /** Writes a key's slot; the view logs the id (a shared "written" flag array would bounce between cores). */
    void set(int id, StateValue value) {
        values[id] = value == null ? ABSENT : value;
    }

    /**
     * Sorts the keys the block may write into key order ({@link IdOrder}, by the prefixes the
     * key index keeps, key objects read only on ties), run by the linker as soon as the whole
     * graph is linked, while the other workers execute: with a complete prediction the write set
     * is known before execution, so its sort need not wait for the run to end (it was the
     * largest part of the collect phase, after the run, on both workers behind a pool hand-off).
     * A run voided by a misprediction throws the order away with the rest of the run.
     */
    private void sortWritable() {
        IdOrder.sort(dag.writable, dag.writableCount(), dag.keys);
        writes = new StateWrite[dag.writableCount()];
        writeChunks = (writes.length + WRITE_CHUNK - 1) / WRITE_CHUNK;
        writableSorted = true;
    }

    /**
     * Makes the write objects of the sorted keys, a chunk per claim, once every transaction has
     * run: each worker does this as it finds the block finished, so the objects are made on both
     * cores instead of by the caller alone afterwards (making ~100 ns each, for the lines of
     * slots and keys the other core wrote, it was most of the collect phase once the sort had
     * moved into the run). A key the block may write but did not (a declared write a call did
     * not make) gets a write here too; {@link #sortedWrites} drops it. Before the sort exists
     * there is nothing to claim: the linker, which sorts, makes the rest when it gets here.
     */
    private void makeWrites() {
        if (!writableSorted || mispredicted || stopAt.get() < dag.txCount) {
            return;
        }
        int[] order = dag.writable;
        for (int chunk = writeClaims.getAndIncrement(); chunk < writeChunks; chunk = writeClaims.getAndIncrement()) {
            for (int i = chunk * WRITE_CHUNK, end = Math.min(writes.length, i + WRITE_CHUNK); i < end; i++) {
                int id = order[i];
                Object v = values[id];
                writes[i] = new StateWrite(dag.keys.key(id), v == null || v == ABSENT ? null : (StateValue) v);
            }
        }
    }

    /**
     * The written slots as writes in key order: the keys the block may write, sorted during the
     * run ({@link #sortWritable}) and made into writes by the workers as they finished
     * ({@link #makeWrites}; whatever no worker claimed is made here), kept where a worker logged
     * a write (a declared write the call did not make is no write, as sequentially). When every
     * key the block may write was written, which is every native block, the array is the list.
     */
    private List<StateWrite> sortedWrites() {
        if (!writableSorted) {
            sortWritable(); // the linker was stopped before the end: not the normal path
        }
        makeWrites();
        boolean[] written = new boolean[dag.keys.capacity()];
        int distinct = 0;
        for (Local local : locals) {
            distinct += local.view.markWritten(written);
        }
        List<StateWrite> all = java.util.Arrays.asList(writes);
        if (distinct == writes.length) {
            return all;
        }
        int[] order = dag.writable;
        int kept = 0;
        for (int i = 0; i < writes.length; i++) {
            if (written[order[i]]) {
                writes[kept++] = writes[i];
            }
        }
        return all.subList(0, kept);
    }

    /** Whether a transaction touched a key outside its prediction (then {@link #collect} is void). */
    public boolean mispredicted() {
        return mispredicted;
    }

    public long executions() {
        return executions.get();
    }

    AccessDag dag() {
        return dag;
    }

    /**
     * The block's output, read by the calling thread after every worker returned: the lowest
     * violation rejects (a VM failure throws {@link TransactionFailed}, as sequentially), else
     * the written keys in key order (sorted during the run; the pool and worker count are not
     * needed any more and kept for the callers).
     */
    public BlockOutput collect(WorkerPool pool, int workers) {
        if (mispredicted) {
            throw new IllegalStateException("a mispredicted run has no output");
        }
        int n = dag.txCount;
        ExecutionStats stats = new ExecutionStats(executions.get(), 0, 0, 0);
        int stop = stopAt.get();
        if (stop < n) {
            // The lowest failing position; every transaction below it has an outcome.
            Object result = results[stop];
            if (result instanceof RuleViolation violation) {
                return BlockOutput.rejected(violation, stop, stats);
            }
            if (result instanceof Throwable failure) {
                throw new TransactionFailed(stop, failure);
            }
            throw new InvariantViolation("scheduled run: tx " + stop + " stopped the run without a failure");
        }
        if (executions.get() != n) {
            throw new InvariantViolation("scheduled run: " + executions.get() + " executions for " + n + " transactions");
        }
        long fees = 0;
        for (Local local : locals) {
            fees += local.fees;
        }
        List<StateWrite> writes = sortedWrites();
        // finish copies the list, which fails on a null: a transaction without an outcome
        return SequentialEngine.finish(block, txs, writes, java.util.Arrays.asList(outcomes), fees, stats);
    }

}
