// Probe (not a test), round 20 (branch tok20): one warm token block's optimistic run at two workers, split into its
// phases, against the sequential engine on the same block, the two alternated block by block in one JVM.
// The optimistic run is BlockStmEngine.runOptimistic's at two threads with the fallback off, rebuilt from the package's
// own classes so each phase can be timed: the caller's setup (BlockRun: scheduler, multi-version memory, result slots),
// the pool run (per worker: when it started, when it ended (its task loop and its share of the output phase: round 20's
// chunks and key ranges), its thread CPU, how long the VM callback took inside its incarnations), the caller's join of
// the sorted ranges and the block-level finish. Every run's write set, fees and outcome count are checked against the sequential engine's.
// Optional third argument "vm": time every VM call (two clock reads per incarnation, ~50 ns) to split an incarnation
// into the VM's own work and the versioned view's reads and writes (timed the same way around each state call).
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/TokenSplit.java
//   BITQUAN_CACHE=$PWD/target/key-cache .bench/measure java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.blockstm.TokenSplit token:10000 200 [vm]
package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.bench.EngineBench;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

public class TokenSplit {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static boolean timeVm;
    /** Per thread slot: VM ns, state-call ns, calls (index by worker; sequential uses slot 2). */
    static final long[][] acc = new long[3][4];
    static final ThreadLocal<long[]> mine = new ThreadLocal<>();

    public static void main(String[] args) throws Exception {
        BenchWorkload w = BenchWorkload.parse(args[0]);
        int rounds = Integer.parseInt(args[1]);
        timeVm = args.length > 2 && args[2].equals("vm");
        var f = Class.forName("io.bitquan.flow.jobs.cli.BenchEngineCommand").getDeclaredField("ALL_WORKLOADS");
        f.setAccessible(true);
        EngineBench.ChainSource source = (EngineBench.ChainSource) f.get(null);
        GeneratedChain gen = source.chain(w, 10000, 42, SignatureScheme.fromId("ed25519"));
        List<ChainEvent> events = gen.generateAll();
        InMemoryStateStore base = new InMemoryStateStore();
        TransactionVm inner = source.vm();
        try (SequentialEngine setup = new SequentialEngine(inner)) {
            ChainRunner runner = new ChainRunner(gen.config(), base, setup, new BlockPreparer(null));
            for (ChainEvent e : events.subList(0, events.size() - 1)) {
                runner.process(e);
            }
        }
        Block block = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        List<PreparedTx> txs = BlockPreparer.decode(block);
        BlockContext ctx = new BlockContext(gen.config(), block.getHeader().getHeight(), block.getHeader().getTimestamp());
        TransactionVm vm = timeVm ? timed(inner) : inner;
        SequentialEngine seq = new SequentialEngine(vm);
        WorkerPool pool = new WorkerPool(2);
        BlockStmEngine engine = new BlockStmEngine(vm, BlockStmOptions.defaults(2).withContentionFallback(false));
        BlockOutput reference = seq.execute(ctx, txs, base);
        int warm = rounds / 4;
        List<double[]> rows = new ArrayList<>();
        for (int round = 0; round < warm + rounds; round++) {
            for (long[] a : acc) Arrays.fill(a, 0);
            mine.remove();
            double[] r = new double[40];
            // sequential, timed with its VM split
            mine.set(acc[2]);
            long c0 = MX.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            BlockOutput s = seq.execute(ctx, txs, base);
            r[0] = (System.nanoTime() - t0) / 1e6;
            r[1] = (MX.getCurrentThreadCpuTime() - c0) / 1e6;
            r[2] = acc[2][0] / 1e6;
            r[3] = acc[2][1] / 1e6;
            check(s, reference, "sequential", round);
            mine.remove();
            // the engine as the bench runs it (fallback off)
            t0 = System.nanoTime();
            BlockOutput e = engine.execute(ctx, txs, base);
            r[4] = (System.nanoTime() - t0) / 1e6;
            check(e, reference, "engine", round);
            for (long[] a : acc) Arrays.fill(a, 0);
            // the optimistic run rebuilt, phase by phase
            optimistic(ctx, txs, base, vm, pool, reference, round, r);
            if (round >= warm) {
                rows.add(r);
            }
        }
        String[] names = new String[40];
        names[0] = "seq wall"; names[1] = "seq cpu"; names[2] = "seq vm (incl. state calls)"; names[3] = "seq state calls";
        names[4] = "engine no-fallback wall";
        names[5] = "stm wall"; names[6] = "setup (caller)"; names[7] = "pool run wall"; names[8] = "join (caller)";
        names[9] = "finish (caller)";
        names[10] = "w0 start"; names[11] = "w0 end"; names[13] = "w0 cpu";
        names[14] = "w0 vm"; names[15] = "w0 state calls";
        names[17] = "w1 start"; names[18] = "w1 end"; names[20] = "w1 cpu";
        names[21] = "w1 vm"; names[22] = "w1 state calls";
        names[24] = "executions"; names[25] = "aborts"; names[26] = "validations"; names[27] = "commit validations";
        names[28] = "dependency waits"; names[29] = "idle rounds"; names[30] = "parks";
        names[31] = "w0 incarnations"; names[32] = "w1 incarnations"; names[33] = "caller cpu whole";
        names[34] = "stm/seq wall ratio (per round)";
        for (double[] r : rows) {
            r[34] = r[0] / r[5];
        }
        System.out.printf("%s, %d rounds after %d warm, vm timing %s%n", args[0], rows.size(), warm, timeVm);
        for (int i = 0; i < 35; i++) {
            if (names[i] == null) continue;
            double[] v = new double[rows.size()];
            for (int k = 0; k < v.length; k++) v[k] = rows.get(k)[i];
            Arrays.sort(v);
            System.out.printf("%-34s median %9.3f   p25 %9.3f   p75 %9.3f%n", names[i], v[v.length / 2], v[v.length / 4], v[3 * v.length / 4]);
        }
        engine.close();
        pool.close();
        seq.close();
    }

    static void optimistic(BlockContext ctx, List<PreparedTx> txs, InMemoryStateStore base, TransactionVm vm,
                           WorkerPool pool, BlockOutput reference, int round, double[] r) {
        long cpu0 = MX.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        BlockRun run = new BlockRun(ctx, txs, base, vm, null, Long.MAX_VALUE, 2, true);
        run.collectOutputInRun();
        int n = txs.size();
        long[][] marks = new long[2][8];
        long t1 = System.nanoTime();
        pool.run(2, (worker, stop) -> {
            long[] m = marks[worker];
            mine.set(acc[worker]);
            m[0] = System.nanoTime();
            long c = MX.getCurrentThreadCpuTime();
            run.work(worker, stop);
            m[1] = System.nanoTime();
            m[2] = m[1];
            m[3] = MX.getCurrentThreadCpuTime() - c;
            mine.remove();
        });
        long t2 = System.nanoTime();
        run.scheduler.checkAllExecuted();
        MvMemory.FinalWrites all = run.collectedOutput();
        long t3 = System.nanoTime();
        Object[] results = new Object[n];
        for (int i = 0; i < n; i++) results[i] = run.results.get(i);
        @SuppressWarnings("unchecked")
        List<TxOutcome> outcomes = (List<TxOutcome>) (List<?>) Arrays.asList(results);
        BlockOutput out = SequentialEngine.finish(ctx, txs, all.writes(), outcomes, run.fees(),
                new io.bitquan.flow.execution.engine.ExecutionStats(run.executions(), run.aborts(), run.validations(), 0));
        long t4 = System.nanoTime();
        r[33] = (MX.getCurrentThreadCpuTime() - cpu0) / 1e6;
        check(out, reference, "optimistic", round);
        r[5] = (t4 - t0) / 1e6;
        r[6] = (t1 - t0) / 1e6;
        r[7] = (t2 - t1) / 1e6;
        r[8] = (t3 - t2) / 1e6;
        r[9] = (t4 - t3) / 1e6;
        for (int wk = 0; wk < 2; wk++) {
            long[] m = marks[wk];
            int b = 10 + 7 * wk;
            r[b] = (m[0] - t1) / 1e6;
            r[b + 1] = (m[1] - t1) / 1e6;
            r[b + 2] = (m[2] - t1) / 1e6;
            r[b + 3] = m[3] / 1e6;
            r[b + 4] = acc[wk][0] / 1e6;
            r[b + 5] = acc[wk][1] / 1e6;
            r[b + 6] = m[4];
            r[31 + wk] = acc[wk][2];
        }
        RunCounters c = run.counters();
        r[24] = c.executions(); r[25] = c.aborts(); r[26] = c.validations(); r[27] = c.commitValidations();
        r[28] = c.dependencyWaits(); r[29] = c.idleRounds(); r[30] = c.parks();
    }

    static TransactionVm timed(TransactionVm inner) {
        return (tx, block, state) -> {
            long[] a = mine.get();
            if (a == null) {
                return inner.execute(tx, block, state);
            }
            StateAccess s = new TimedState(state, a);
            long t = System.nanoTime();
            try {
                return inner.execute(tx, block, s);
            } finally {
                a[0] += System.nanoTime() - t;
                a[2]++;
            }
        };
    }

    /** Times each state call of the VM (the versioned view's or the sequential engine's buffer). */
    record TimedState(StateAccess under, long[] a) implements StateAccess {
        @Override
        public StateValue read(StateKey key) {
            long t = System.nanoTime();
            try {
                return under.read(key);
            } finally {
                a[1] += System.nanoTime() - t;
            }
        }

        @Override
        public void write(StateKey key, StateValue value) {
            long t = System.nanoTime();
            under.write(key, value);
            a[1] += System.nanoTime() - t;
        }

        @Override
        public void credit(StateKey key, long amount) {
            long t = System.nanoTime();
            under.credit(key, amount);
            a[1] += System.nanoTime() - t;
        }

        @Override
        public StateKey accountKey(byte[] address) {
            return under.accountKey(address);
        }

        @Override
        public StateKey utxoKey(byte[] txId, int index) {
            return under.utxoKey(txId, index);
        }

        @Override
        public byte[] publicKeyHash(byte[] publicKey) {
            return under.publicKeyHash(publicKey);
        }
    }

    static void check(BlockOutput a, BlockOutput e, String what, int round) {
        boolean same = a.accepted() == e.accepted() && a.fees() == e.fees()
                && a.writes().size() == e.writes().size() && a.outcomes().size() == e.outcomes().size();
        for (int i = 0; same && i < a.writes().size(); i++) {
            var x = a.writes().get(i);
            var y = e.writes().get(i);
            same = x.key().equals(y.key()) && (x.value() == null ? y.value() == null
                    : y.value() != null && Arrays.equals(x.value().encode(), y.value().encode()));
        }
        if (!same) {
            throw new IllegalStateException(what + " differs from sequential in round " + round);
        }
    }
}
