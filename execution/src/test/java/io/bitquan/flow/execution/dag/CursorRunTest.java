package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The cursor run (round 19, {@link DagRun}): workers take
 * transactions in block order from a shared cursor, run each whose predecessors have finished,
 * and leave each other one on a predecessor's stack ({@link Waiters}) for that predecessor's
 * worker. The sequential result, every transaction run exactly once, at 1, 2, 3, 8 and 16
 * workers (oversubscribed) on hot-account, chained-spend, mixed and invalid-transaction blocks;
 * a misprediction voids the run; a transaction the cursor reaches before its predecessor has run
 * is run by that predecessor's worker right after it; the cursor never passes what the linker
 * has published, while the linker is still linking; a stop mid-run ends every worker.
 */
class CursorRunTest {
    private final ChainVm vm = new ChainVm();
    private static final int[] WORKERS = {1, 2, 3, 8, 16};

    private static GeneratorOptions[] blocks() {
        return new GeneratorOptions[] {
            GeneratorOptions.of(191, 1, 900, Workload.TRANSFER).withAccounts(6), // a few hot accounts
            GeneratorOptions.of(192, 1, 700, Workload.TRANSFER).withAccounts(2), // every transfer on the same two
            GeneratorOptions.of(193, 1, 800, Workload.UTXO_CHAINED), // spends of the block's own outputs
            GeneratorOptions.of(194, 1, 900, Workload.MIXED).withAccounts(40),
            GeneratorOptions.of(195, 1, 700, Workload.TRANSFER).withAccounts(30).withInvalidEvery(97), // rejected
            GeneratorOptions.of(196, 1, 2600, Workload.TRANSFER).withAccounts(300), // several linkers from 4 workers
        };
    }

    /** The VM, counting how often each transaction of {@code txs} runs. */
    private static TransactionVm counting(TransactionVm inner, List<PreparedTx> txs, AtomicIntegerArray runs) {
        Map<PreparedTx, Integer> index = indexOf(txs);
        return (tx, block, state) -> {
            runs.incrementAndGet(index.get(tx));
            return inner.execute(tx, block, state);
        };
    }

    @Test
    void theCursorRunGivesTheSequentialResultAndRunsEachTransactionOnce() {
        for (GeneratorOptions options : blocks()) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            int n = b.txs().size();
            for (int workers : WORKERS) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    for (int rep = 0; rep < 2; rep++) {
                        String what = options.workload().id() + "/" + options.accounts() + " x" + workers + " rep " + rep;
                        AtomicIntegerArray runs = new AtomicIntegerArray(n);
                        PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), counting(vm, b.txs(), runs), workers,
                                PredictedRun.linkers(workers, n));
                        pool.run(workers, run::work);
                        assertThat(run.mispredicted()).as(what).isFalse();
                        for (int t = 0; t < n; t++) {
                            assertThat(runs.get(t)).as("%s: runs of tx %d", what, t).isLessThanOrEqualTo(1);
                        }
                        if (expected.accepted()) {
                            assertThat(run.executions()).as(what).isEqualTo(n);
                            for (int t = 0; t < n; t++) {
                                assertThat(runs.get(t)).as("%s: runs of tx %d", what, t).isEqualTo(1);
                            }
                        }
                        OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                    }
                }
            }
        }
    }

    @Test
    void aMispredictionVoidsTheCursorRun() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(197, 1, 700, Workload.TRANSFER).withAccounts(25));
        StateKey outside = StateKey.account(new byte[StateKey.ADDRESS_BYTES]);
        PreparedTx wrongTx = b.txs().get(450);
        TransactionVm wrong = (tx, block, state) -> {
            if (tx == wrongTx) {
                state.read(outside); // a key the prediction does not hold
            }
            return vm.execute(tx, block, state);
        };
        for (int workers : WORKERS) {
            try (WorkerPool pool = new WorkerPool(workers)) {
                PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), wrong, workers, 1);
                pool.run(workers, run::work);
                assertThat(run.mispredicted()).as("x%d", workers).isTrue();
                assertThat(run.executions()).as("x%d", workers).isLessThan(b.txs().size());
            }
        }
    }

    /**
     * p has no predecessor; q's only predecessor is p, in a later cursor chunk; r, later in q's
     * chunk, has none. p's run waits until r has run: so the worker visiting q's chunk finds p
     * unfinished, leaves q on p's stack and goes on to r, and p's worker, finishing p, runs q.
     */
    @Test
    void aTransactionReachedBeforeItsPredecessorRanIsRunByThePredecessorsWorker() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(198, 1, 700, Workload.TRANSFER).withAccounts(900));
        List<PreparedTx> txs = b.txs();
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), txs, b.base());
        int[] pqr = blockedTriple(AccessDag.build(txs, 1));
        assertThat(pqr).as("a block with a blocked-transaction triple").isNotNull();
        int p = pqr[0];
        int q = pqr[1];
        int r = pqr[2];
        Map<PreparedTx, Integer> index = indexOf(txs);
        for (int workers : new int[] {2, 3}) {
            Thread[] ranBy = new Thread[txs.size()];
            AtomicBoolean rRan = new AtomicBoolean();
            TransactionVm holdP = (tx, block, state) -> {
                int i = index.get(tx);
                while (i == p && !rRan.get()) {
                    Thread.yield(); // oversubscribed: leave the other workers the core
                }
                var outcome = vm.execute(tx, block, state);
                ranBy[i] = Thread.currentThread();
                if (i == r) {
                    rRan.set(true);
                }
                return outcome;
            };
            try (WorkerPool pool = new WorkerPool(workers)) {
                AccessDag dag = AccessDag.predict(txs, pool, workers);
                DagRun run = new DagRun(dag, b.context(), txs, b.base(), holdP, workers);
                pool.run(workers, run::work);
                String what = "x" + workers + " p=" + p + " q=" + q + " r=" + r;
                assertThat(run.executions()).as(what).isEqualTo(txs.size());
                assertThat(ranBy[r]).as("%s: r ran on another worker than p", what).isNotSameAs(ranBy[p]);
                assertThat(ranBy[q]).as("%s: q ran by p's worker, released by p's finish", what).isSameAs(ranBy[p]);
                OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
            }
        }
    }

    /**
     * The cursor racing the linker: worker 1 runs while the test thread links the graph by hand a
     * chunk at a time, each time waiting until worker 1 has run everything linked; then worker 0
     * (the linker) links the rest and both finish. No transaction runs before it is linked, some
     * run while the graph is not yet fully linked, and the result is the sequential one.
     */
    @Test
    void theCursorNeverPassesTheLinkedPrefix() throws Exception {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(199, 1, 900, Workload.MIXED).withAccounts(30));
        List<PreparedTx> txs = b.txs();
        int n = txs.size();
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), txs, b.base());
        Map<PreparedTx, Integer> index = indexOf(txs);
        try (WorkerPool pool = new WorkerPool(2)) {
            AccessDag dag = AccessDag.predict(txs, pool, 1);
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger ranUnlinked = new AtomicInteger();
            AtomicInteger ranBeforeFullyLinked = new AtomicInteger();
            TransactionVm watching = (tx, block, state) -> {
                int linked = dag.linked();
                if (index.get(tx) >= linked) {
                    ranUnlinked.incrementAndGet();
                }
                if (linked < n) {
                    ranBeforeFullyLinked.incrementAndGet();
                }
                var outcome = vm.execute(tx, block, state);
                ran.incrementAndGet();
                return outcome;
            };
            DagRun run = new DagRun(dag, b.context(), txs, b.base(), watching, 2);
            WorkerPool.Stop stop = new WorkerPool.Stop();
            Thread other = new Thread(() -> run.work(1, stop));
            other.start();
            for (int upTo = 96; upTo <= n / 2; upTo += 96) {
                dag.link(upTo);
                while (ran.get() < upTo && other.isAlive()) {
                    Thread.yield(); // worker 1 alone runs the linked prefix in block order: nothing blocks it
                }
                assertThat(ran.get()).as("worker 1 ran exactly the linked prefix").isEqualTo(upTo);
            }
            run.work(0, stop); // the linker: links the rest, then runs beside worker 1
            other.join(60_000);
            assertThat(other.isAlive()).isFalse();
            assertThat(ranUnlinked.get()).as("runs of unlinked transactions").isZero();
            assertThat(ranBeforeFullyLinked.get()).as("runs while the graph was being linked").isGreaterThanOrEqualTo(n / 2 / 96 * 96);
            assertThat(run.executions()).isEqualTo(n);
            OutputAssertions.assertSameResult(run.collect(pool, 2), expected, "cursor racing the linker");
        }
    }

    @Test
    void aStopRaisedMidRunEndsEveryWorker() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(200, 1, 800, Workload.TRANSFER).withAccounts(12));
        StopMidRun.assertEndsEveryWorker(b, vm, 300, WORKERS, (stopping, pool, workers) -> {
            DagRun run = new DagRun(AccessDag.predict(b.txs(), pool, workers), b.context(), b.txs(), b.base(), stopping, workers);
            return new StopMidRun.Run(run::work, run::executions);
        });
    }

    /** p, q, r as {@link #aTransactionReachedBeforeItsPredecessorRanIsRunByThePredecessorsWorker} needs, or null. */
    private static int[] blockedTriple(AccessDag dag) {
        int chunk = DagRun.CURSOR_CHUNK;
        for (int q = chunk; q < dag.txCount; q++) {
            int p = onlyPredecessor(dag, q);
            if (p < 0 || p / chunk == q / chunk || onlyPredecessor(dag, p) != -1) {
                continue;
            }
            for (int r = q + 1; r < Math.min(dag.txCount, (q / chunk + 1) * chunk); r++) {
                if (onlyPredecessor(dag, r) == -1) {
                    return new int[] {p, q, r};
                }
            }
        }
        return null;
    }

    /** t's one predecessor (however many of its accesses name it), -1 for none, -2 for several. */
    private static int onlyPredecessor(AccessDag dag, int t) {
        int only = -1;
        for (int a = dag.accessStart[t]; a < dag.accessStart[t + 1]; a++) {
            for (int j = dag.predFrom[a]; j < dag.predTo[a]; j++) {
                int p = dag.nodeTx[j];
                if (only >= 0 && only != p) {
                    return -2;
                }
                only = p;
            }
        }
        return only;
    }

    private static Map<PreparedTx, Integer> indexOf(List<PreparedTx> txs) {
        Map<PreparedTx, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < txs.size(); i++) {
            index.put(txs.get(i), i);
        }
        return index;
    }
}
