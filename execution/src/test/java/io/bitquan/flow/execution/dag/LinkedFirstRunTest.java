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
import io.bitquan.flow.model.state.StateKey;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The run once the graph is fully linked: every transaction waits in the VM until the linker is
 * done, so the workers' cursor claims run into the linked bound first and then find the whole
 * graph published, and every transaction's predecessors are read from complete lists while the
 * others are blocked on stacks (until round 20 this tested the release protocol's settled path,
 * since deleted; in a normal run the bound moves mid-block, which {@link PredictedRunTest} covers):
 * the sequential result at 1, 2, 3, 8 and 16
 * workers (oversubscribed) on chained blocks (long single-predecessor chains) and hot-key blocks,
 * a block with a rule violation, a misprediction found mid-run, and a stop raised mid-run.
 */
class LinkedFirstRunTest {
    private final ChainVm vm = new ChainVm();
    private static final int[] WORKERS = {1, 2, 3, 8, 16};

    /** The VM, each call first waiting for the whole graph to be linked. */
    private TransactionVm afterLinking(AtomicReference<AccessDag> graph, TransactionVm inner) {
        return (tx, block, state) -> {
            AccessDag dag = graph.get();
            while (dag.linked() < dag.txCount()) {
                Thread.yield(); // oversubscribed: leave the linker its core
            }
            return inner.execute(tx, block, state);
        };
    }

    private DagRun linkedFirstRun(BlockFixtures b, TransactionVm inner, WorkerPool pool, int workers) {
        AccessDag dag = AccessDag.predict(b.txs(), pool, workers);
        assertThat(dag).isNotNull();
        return new DagRun(dag, b.context(), b.txs(), b.base(), afterLinking(new AtomicReference<>(dag), inner), workers);
    }

    @Test
    void aRunAfterTheWholeLinkGivesTheSequentialResult() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(91, 1, 600, Workload.UTXO_CHAINED),
                GeneratorOptions.of(92, 1, 800, Workload.TRANSFER).withAccounts(20),
                GeneratorOptions.of(93, 1, 700, Workload.MIXED).withAccounts(50),
                GeneratorOptions.of(94, 1, 500, Workload.TRANSFER).withAccounts(30).withInvalidEvery(97)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            for (int workers : WORKERS) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    for (int rep = 0; rep < 2; rep++) {
                        String what = options.workload().id() + " x" + workers + " rep " + rep;
                        DagRun run = linkedFirstRun(b, vm, pool, workers);
                        pool.run(workers, run::work);
                        assertThat(run.mispredicted()).as(what).isFalse();
                        if (expected.accepted()) {
                            assertThat(run.executions()).as(what).isEqualTo(b.txs().size());
                        }
                        OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                    }
                }
            }
        }
    }

    @Test
    void aMispredictionFoundAfterLinkingVoidsTheRun() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(95, 1, 600, Workload.TRANSFER).withAccounts(25));
        StateKey outside = StateKey.account(new byte[StateKey.ADDRESS_BYTES]);
        int wrongAt = 400;
        TransactionVm wrong = (tx, block, state) -> {
            if (tx == b.txs().get(wrongAt)) {
                state.read(outside); // a key the prediction does not hold
            }
            return vm.execute(tx, block, state);
        };
        for (int workers : WORKERS) {
            try (WorkerPool pool = new WorkerPool(workers)) {
                DagRun run = linkedFirstRun(b, wrong, pool, workers);
                pool.run(workers, run::work);
                assertThat(run.mispredicted()).as("x%d", workers).isTrue();
                assertThat(run.executions()).as("x%d", workers).isLessThan(b.txs().size());
            }
        }
    }

    @Test
    void aStopRaisedMidRunEndsEveryWorker() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(96, 1, 800, Workload.UTXO_CHAINED));
        StopMidRun.assertEndsEveryWorker(b, vm, 300, WORKERS, (stopping, pool, workers) -> {
            DagRun run = linkedFirstRun(b, stopping, pool, workers);
            return new StopMidRun.Run(run::work, run::executions);
        });
    }
}
