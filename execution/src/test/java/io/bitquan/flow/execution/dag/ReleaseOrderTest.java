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
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The run's release order (round 18, {@link DagRun#lowestFirst}): a worker's stack kept so its
 * top is the lowest index it holds, and both orders, lowest first and depth first, giving the
 * sequential result at 1, 2, 3, 8 and 16 workers on every block shape of the dag tests (hot
 * accounts, chained spends, mixed, a violation mid-block).
 */
class ReleaseOrderTest {
    private final ChainVm vm = new ChainVm();

    @Test
    void pushInOrderKeepsTheLowestIndexOnTop() {
        Random random = new Random(18);
        for (int round = 0; round < 200; round++) {
            int[] stack = new int[64];
            int top = 0;
            java.util.TreeSet<Integer> held = new java.util.TreeSet<>();
            for (int step = 0; step < 60; step++) {
                if (top > 0 && random.nextInt(3) == 0) {
                    int popped = stack[--top];
                    assertThat(popped).as("round %d step %d", round, step).isEqualTo(held.pollFirst());
                    continue;
                }
                int t;
                do {
                    t = random.nextInt(1000); // each transaction is released once: distinct
                } while (!held.add(t));
                top = DagRun.pushInOrder(stack, top, t);
                assertThat(top).isEqualTo(held.size());
                for (int i = 1; i < top; i++) {
                    assertThat(stack[i - 1]).as("descending from the bottom").isGreaterThan(stack[i]);
                }
            }
        }
    }

    @Test
    void bothOrdersGiveTheSequentialResultAtEveryWorkerCount() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(181, 1, 3000, Workload.TRANSFER).withAccounts(20), // one hot component: donations
                GeneratorOptions.of(182, 1, 2500, Workload.TRANSFER).withAccounts(400),
                GeneratorOptions.of(183, 1, 600, Workload.UTXO_CHAINED),
                GeneratorOptions.of(184, 1, 2200, Workload.MIXED).withAccounts(50),
                GeneratorOptions.of(185, 1, 900, Workload.TRANSFER).withAccounts(30).withInvalidEvery(97)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            for (int workers : new int[] {1, 2, 3, 8, 16}) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    for (boolean lowestFirst : new boolean[] {true, false}) {
                        String what = options.workload().id() + " x" + workers + (lowestFirst ? " lowest first" : " depth first");
                        PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), vm, workers,
                                PredictedRun.linkers(workers, b.txs().size()), lowestFirst);
                        pool.run(workers, run::work);
                        assertThat(run.mispredicted()).as(what).isFalse();
                        OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                    }
                }
            }
        }
    }
}
