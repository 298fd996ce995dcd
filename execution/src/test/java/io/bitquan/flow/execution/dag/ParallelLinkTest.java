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
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The parallel link (round 17): several linkers, each the keys of one shard ({@link Shards}).
 * The graph it builds is the one linker's (same keys per access, the same predecessors per access,
 * same writable keys), whatever the linker count; a transaction spanning shards is published to
 * the run only once its last linker has linked it; and blocks run through
 * it give the sequential result at 2, 3, 8 and 16 workers (oversubscribed) with 2, 3, 8 and 16
 * linkers: many transactions on a few hot keys, every transaction on the same two keys, no
 * shared keys, UTXO chains and the mixed block.
 */
class ParallelLinkTest {
    private final ChainVm vm = new ChainVm();

    private static GeneratorOptions[] blocks() {
        return new GeneratorOptions[] {
            GeneratorOptions.of(171, 1, 2500, Workload.TRANSFER).withAccounts(4), // many txs, few hot keys
            GeneratorOptions.of(172, 1, 1500, Workload.TRANSFER).withAccounts(2), // every tx on the same keys
            GeneratorOptions.of(173, 1, 2500, Workload.UTXO), // no shared keys
            GeneratorOptions.of(174, 1, 1500, Workload.UTXO_CHAINED),
            GeneratorOptions.of(175, 1, 2500, Workload.MIXED).withAccounts(60),
        };
    }

    @Test
    void anyLinkerCountBuildsTheOneLinkersGraph() {
        for (GeneratorOptions options : blocks()) {
            List<PreparedTx> txs = BlockFixtures.firstBlock(options).txs();
            AccessDag one = AccessDag.build(txs, 1);
            int spanning = 0;
            for (int linkers : new int[] {2, 3, 8, 16, 32}) {
                String what = options.workload().id() + " with " + linkers + " linkers";
                AccessDag many = AccessDag.build(txs, linkers);
                assertThat(many.linked()).as(what).isEqualTo(txs.size());
                assertThat(many.fullyLinked()).as(what).isTrue();
                assertThat(many.keyCount()).as(what).isEqualTo(one.keyCount());
                assertThat(many.accessStart).as(what).isEqualTo(one.accessStart);
                assertThat(many.accessWrites).as(what).isEqualTo(one.accessWrites);
                for (int a = 0; a < one.accessKey.length; a++) {
                    assertThat(many.keys.key(many.accessKey[a])).as("%s access %d", what, a)
                            .isEqualTo(one.keys.key(one.accessKey[a]));
                    assertThat(predecessors(many, a)).as("%s access %d", what, a).isEqualTo(predecessors(one, a));
                }
                assertThat(many.criticalPath()).as(what).isEqualTo(one.criticalPath());
                assertThat(writableKeys(many)).as(what).isEqualTo(writableKeys(one));
                for (int mask : many.shards.masks) {
                    spanning += Integer.bitCount(mask) > 1 ? 1 : 0;
                }
            }
            if (options.workload() == Workload.TRANSFER) {
                // a hot pair of accounts may share a shard at some count, not at every one
                assertThat(spanning).as("%s: transactions whose keys span shards", options).isPositive();
            }
        }
    }

    /**
     * t0 writes A (shard 0), t1 writes A and B (shard 1). Shard 0 linked alone records t1's wait on
     * t0 (its access on A), but the run's bound ({@link AccessDag#linked()}, the lowest linker's
     * progress) stays at 0: shard 1 has not linked t1's access on B. Once it has, both are
     * published, t1 with t0 as its one predecessor.
     */
    @Test
    void aTransactionSpanningShardsWaitsForItsLastLinker() {
        StateKey a = keyInShard(0, 2);
        StateKey b = keyInShard(1, 2);
        AccessDag.Prediction[] predicted = {AccessDagTest.write(a), AccessDagTest.write(a, b)};
        Shards shards = new Shards(2, 2, 1);
        shards.countAll(predicted);
        assertThat(shards.masks).containsExactly(0b01, 0b11);
        AccessDag dag = AccessDag.of(predicted, shards);
        dag.link(0, 2);
        assertThat(dag.fullyLinked()).isFalse();
        assertThat(dag.linked()).as("shard 1 has linked nothing: nothing is published").isZero();
        assertThat(CursorLayoutTest.predecessors(dag, 1)).as("shard 0's part of t1's lists").containsExactly(0);
        dag.link(1, 2);
        assertThat(dag.fullyLinked()).isTrue();
        assertThat(dag.linked()).isEqualTo(2);
        assertThat(CursorLayoutTest.predecessors(dag, 0)).isEmpty();
        assertThat(CursorLayoutTest.predecessors(dag, 1)).containsExactly(0);
    }

    @Test
    void parallelLinksGiveTheSequentialResult() {
        for (GeneratorOptions options : blocks()) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            for (int workers : new int[] {2, 3, 8, 16}) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    for (int linkers : new int[] {2, 3, 8, 16}) {
                        if (linkers > workers) {
                            continue;
                        }
                        for (int rep = 0; rep < 2; rep++) {
                            String what = options.workload().id() + " x" + workers + " linkers " + linkers + " rep " + rep;
                            PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), vm, workers, linkers);
                            pool.run(workers, run::work);
                            assertThat(run.mispredicted()).as(what).isFalse();
                            assertThat(run.executions()).as(what).isEqualTo(b.txs().size());
                            assertThat(run.dag().linkers).as(what).hasSize(linkers);
                            OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                        }
                    }
                }
            }
        }
    }

    /** A worker alone takes every shard in turn, links them and runs the block (the others start late). */
    @Test
    void aWorkerAloneLinksEveryShard() throws Exception {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(176, 1, 2500, Workload.MIXED).withAccounts(60));
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
        PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), vm, 3, 3);
        WorkerPool.Stop stop = new WorkerPool.Stop();
        for (int worker = 2; worker >= 0; worker--) {
            int w = worker;
            Thread alone = new Thread(() -> run.work(w, stop));
            alone.start();
            alone.join(60_000);
            assertThat(alone.isAlive()).as("worker %d alone did not finish", worker).isFalse();
        }
        assertThat(run.executions()).isEqualTo(b.txs().size());
        try (WorkerPool pool = new WorkerPool(3)) {
            OutputAssertions.assertSameResult(run.collect(pool, 3), expected, "alone, 3 linkers");
        }
    }

    @Test
    void severalLinkersOnlyWithManyWorkersAndLargeBlocks() {
        assertThat(PredictedRun.linkers(1, 10_000)).isEqualTo(1);
        assertThat(PredictedRun.linkers(8, PredictedRun.MIN_PARALLEL_LINK - 1)).isEqualTo(1);
        assertThat(PredictedRun.linkers(64, 10_000)).isLessThanOrEqualTo(Shards.MAX);
        assertThat(PredictedRun.linkers(16, 10_000)).isGreaterThan(1).isLessThanOrEqualTo(16);
        assertThat(PredictedRun.linkers(16, 10_000)).isGreaterThan(1).isLessThanOrEqualTo(16);
    }

    private static List<Integer> predecessors(AccessDag dag, int access) {
        List<Integer> out = new ArrayList<>();
        for (int j = dag.predFrom[access]; j < dag.predTo[access]; j++) {
            out.add(dag.nodeTx[j]);
        }
        return out;
    }

    private static Set<StateKey> writableKeys(AccessDag dag) {
        Set<StateKey> keys = new HashSet<>();
        for (int i = 0; i < dag.writableCount(); i++) {
            assertThat(keys.add(dag.keys.key(dag.writable[i]))).as("listed once").isTrue();
        }
        return keys;
    }

    private static StateKey keyInShard(int shard, int count) {
        for (int i = 0; ; i++) {
            byte[] address = new byte[32];
            address[0] = (byte) i;
            address[1] = (byte) (i >>> 8);
            StateKey key = StateKey.account(address);
            if (Shards.of(key, count) == shard) {
                return key;
            }
        }
    }
}
