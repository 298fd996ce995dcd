package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.ParallelPayoff.Kind;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Round 19's warm pool: an in-order block of the payoff check wakes the pool threads for an empty
 * job ({@link WorkerPool#warm}) so that their last vCPU is the one the kernel gives a thread woken
 * beside the caller. The empty job runs no user work, changes no result, and stops with the pool.
 */
class WarmPoolTest {
    private static final int TXS = 1_000;

    /** Waits (without a time assertion: the deadline only ends a hung test) until the count reaches {@code at}. */
    private static void awaitCount(LongSupplier count, long at) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (count.getAsLong() < at && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(count.getAsLong()).isEqualTo(at);
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }

    @Test
    void theWarmJobRunsNoUserWorkAndStopsWithThePool() throws Exception {
        WorkerPool pool = new WorkerPool(3);
        for (int i = 0; i < 10; i++) {
            pool.warm();
        }
        awaitCount(pool::warmedSoFar, 20); // one empty job per pool thread per call
        AtomicInteger calls = new AtomicInteger();
        ConcurrentHashMap<Integer, Integer> workers = new ConcurrentHashMap<>();
        for (int run = 0; run < 5; run++) {
            pool.run(3, (w, stop) -> {
                calls.incrementAndGet();
                workers.merge(w, 1, Integer::sum);
            });
            pool.warm();
        }
        assertThat(calls.get()).isEqualTo(15); // the warm jobs called no job of a run
        assertThat(workers).containsOnlyKeys(0, 1, 2).allSatisfy((w, n) -> assertThat(n).isEqualTo(5));
        awaitCount(pool::warmedSoFar, 30);
        pool.close();
        assertThat(liveThreads(pool.threadNamePrefix())).isZero();
        pool.warm(); // closed: nothing to wake, no failure
        assertThat(pool.warmedSoFar()).isEqualTo(30);
        assertThat(liveThreads(pool.threadNamePrefix())).isZero();
    }

    @Test
    void aOneThreadPoolHasNothingToWarm() {
        try (WorkerPool pool = new WorkerPool(1)) {
            pool.warm();
            assertThat(pool.warmedSoFar()).isZero();
            assertThat(liveThreads(pool.threadNamePrefix())).isZero();
        }
    }

    /**
     * The payoff check's in-order blocks warm the pool and give the sequential result, and the
     * probe after them, run in parallel on the warmed threads, too, at 2, 3, 8 and 16 threads; an
     * engine without the check (the fallback off) never warms and gives the sequential result at
     * 1, 2, 3, 8 and 16 threads. The check is set up with made-up costs so that the in-order
     * blocks do not depend on the clock.
     */
    @Test
    void inOrderBlocksWarmThePoolAndKeepTheSequentialResult() throws Exception {
        ChainVm vm = new ChainVm();
        for (Workload workload : List.of(Workload.TRANSFER, Workload.MIXED)) {
            BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(19, 1, 600, workload).withAccounts(5_000));
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            Kind kind = BlockStmEngine.kindOf(b.txs(), true);
            for (int threads : new int[] {2, 3, 8, 16}) {
                ParallelPayoff payoff = new ParallelPayoff();
                // a clear loss: the opening ends after two runs each, the first probe after 8 blocks
                for (int i = 0; i < 4; i++) {
                    boolean parallel = payoff.parallel(kind);
                    payoff.record(kind, parallel, (long) ((parallel ? 1e9 : 1_000) * TXS), TXS);
                }
                String what = workload + " x" + threads;
                try (BlockStmEngine e = new BlockStmEngine(vm, BlockStmOptions.defaults(threads), payoff)) {
                    int inOrder = ParallelPayoff.CLEAR_PROBE_INTERVAL - 1;
                    for (int block = 0; block < inOrder; block++) {
                        BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                        OutputAssertions.assertSameResult(out, expected, "in order " + what + " block " + block);
                        assertThat(out.stats().fallbacks()).as(what).isEqualTo(1);
                    }
                    awaitCount(e::poolWarmedSoFar, (long) inOrder * (threads - 1));
                    BlockOutput probe = e.execute(b.context(), b.txs(), b.base());
                    OutputAssertions.assertSameResult(probe, expected, "probe " + what);
                    assertThat(payoff.why(kind)).as("the probe, parallel: " + what).isEqualTo(ParallelPayoff.Why.PROBE);
                    assertThat(e.poolWarmedSoFar()).as("a parallel block does not warm: " + what)
                            .isEqualTo((long) inOrder * (threads - 1));
                }
            }
            for (int threads : new int[] {1, 2, 3, 8, 16}) {
                try (BlockStmEngine e = new BlockStmEngine(vm, BlockStmOptions.defaults(threads).withContentionFallback(false))) {
                    for (int block = 0; block < 3; block++) {
                        BlockOutput out = e.execute(b.context(), b.txs(), b.base());
                        OutputAssertions.assertSameResult(out, expected, "no fallback " + workload + " x" + threads);
                        assertThat(out.stats().fallbacks()).isZero();
                    }
                    assertThat(e.poolWarmedSoFar()).isZero();
                }
            }
        }
    }

    /** The payoff log's placement figure reads the processor field, counted from the command name's last ')'. */
    @Test
    void theProcessorFieldIsReadAfterTheCommandName() throws Exception {
        StringBuilder rest = new StringBuilder("S");
        for (int field = 4; field <= 52; field++) {
            rest.append(' ').append(field == 39 ? 7 : field * 11);
        }
        for (String name : new String[] {"java", "a b", "x) (y", ") 1 2 3 )"}) {
            byte[] line = ("4242 (" + name + ") " + rest + "\n").getBytes(StandardCharsets.US_ASCII);
            assertThat(WorkerPool.OnCpu.processor(line, line.length)).as(name).isEqualTo(7);
        }
        byte[] cut = "4242 (java) S 1 2".getBytes(StandardCharsets.US_ASCII);
        assertThat(WorkerPool.OnCpu.processor(cut, cut.length)).isEqualTo(-1);
        java.nio.file.Path self = java.nio.file.Path.of("/proc/self/stat");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(self), "no /proc here");
        byte[] real = java.nio.file.Files.readAllBytes(self);
        String text = new String(real, StandardCharsets.US_ASCII);
        String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
        assertThat(WorkerPool.OnCpu.processor(real, real.length)).isEqualTo(Integer.parseInt(fields[36]));
        assertThat(WorkerPool.OnCpu.now()).isNotNegative();
    }
}
