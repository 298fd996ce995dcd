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
 * The graph it builds is the one linker's (same keys per access, same successors per access in
 * the same order, same counts, same writable keys, in the release layout; the cursor layout's
 * predecessor lists in {@link CursorLayoutTest}), whatever the linker count; a transaction
 * spanning shards is released only once its last linker has counted it; and blocks run through
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
            AccessDag one = AccessDag.build(txs, 1, false);
            int spanning = 0;
            for (int linkers : new int[] {2, 3, 8, 16, 32}) {
                String what = options.workload().id() + " with " + linkers + " linkers";
                AccessDag many = AccessDag.build(txs, linkers, false);
                assertThat(many.linked()).as(what).isEqualTo(txs.size());
                assertThat(many.fullyLinked()).as(what).isTrue();
                assertThat(many.keyCount()).as(what).isEqualTo(one.keyCount());
                assertThat(many.accessStart).as(what).isEqualTo(one.accessStart);
                assertThat(many.accessWrites).as(what).isEqualTo(one.accessWrites);
                for (int a = 0; a < one.accessKey.length; a++) {
                    assertThat(many.keys.key(many.accessKey[a])).as("%s access %d", what, a)
                            .isEqualTo(one.keys.key(one.accessKey[a]));
                    assertThat(successors(many, a)).as("%s access %d", what, a).isEqualTo(successors(one, a));
                }
                assertThat(many.pending.toString()).as(what).isEqualTo(one.pending.toString());
                assertThat(many.readyCount()).as(what).isEqualTo(one.readyCount());
                assertThat(many.criticalPath()).as(what).isEqualTo(one.criticalPath());
                assertThat(writableKeys(many)).as(what).isEqualTo(writableKeys(one));
                for (int mask : many.shards.masks) {
                    spanning += Integer.bitCount(mask) > 1 ? 1 : 0;
                }
            }
            if (options.workload() == Workload.TRANSFER) {
                // a hot pair of accounts may share a shard at some count, not at every one
                assertThat(spanning).as("%s: transactions whose keys span shards (the guarded path)", options).isPositive();
            }
        }
    }

    /**
     * t0 writes A (shard 0), t1 writes A and B (shard 1). Shard 0 linked alone counts t1's wait
     * on t0; t0 finishing then brings t1's count down, but not to zero: shard 1 has not counted
     * t1 yet. Only shard 1's linker, finding nothing before t1 on B, releases it.
     */
    @Test
    void aTransactionSpanningShardsWaitsForItsLastLinker() {
        StateKey a = keyInShard(0, 2);
        StateKey b = keyInShard(1, 2);
        AccessDag.Prediction[] predicted = {AccessDagTest.write(a), AccessDagTest.write(a, b)};
        Shards shards = new Shards(2, 2, 1);
        shards.countAll(predicted);
        assertThat(shards.masks).containsExactly(0b01, 0b11);
        AccessDag dag = AccessDag.of(predicted, shards, false);
        dag.link(0, 2);
        assertThat(dag.fullyLinked()).isFalse();
        assertThat(dag.readyCount()).as("t0 ready, t1 not").isEqualTo(1);
        assertThat(dag.ready[dag.linkers[0].readyBase]).isZero();
        // t0 finishes: it closes its access on A and releases what is there
        int head = dag.successors.getAndSet(0, AccessDag.DONE);
        assertThat(head).isPositive();
        assertThat(dag.nodeTx[head]).isEqualTo(1);
        assertThat(dag.pending.decrementAndGet(1)).as("still guarded by shard 1").isNegative();
        dag.link(1, 2);
        assertThat(dag.fullyLinked()).isTrue();
        assertThat(dag.readyCount()).as("released by the last linker's addition").isEqualTo(2);
        assertThat(dag.ready[dag.linkers[1].readyBase]).isEqualTo(1);
        assertThat(dag.pending.get(1)).isZero();
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

    private static List<Integer> successors(AccessDag dag, int access) {
        List<Integer> out = new ArrayList<>();
        for (int node = dag.successors.get(access); node > AccessDag.EMPTY; node = dag.nodeNext[node]) {
            out.add(dag.nodeTx[node]);
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
