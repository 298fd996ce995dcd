// HISTORICAL (round 20): this probe selects the release layout or protocol (AccessDag/PredictedRun/DagRun with a layout
// argument, successor stacks, pending counts), deleted from the engine in round 20 (branch xfer20); it compiles and runs
// only against the classes of main at 8152a49 (e.g. -cp <probe classes>:/tmp/r19m.jar). Kept as the record of what was measured.
// Probe (not a test): where the predicted schedule's run spends its time on a light block, issue 11 round 8.
// For each workload's 10,000-tx ed25519 block (the bench engine's block: seed 42, the chain's last block):
//   seq      the sequential engine
//   1t       the DagRun built for 2 workers, run entirely by ONE thread (work(0) links, sorts and runs every
//            transaction; work(1) then finds the block finished): the run's own per-tx overhead, no cross-core traffic
//            (split into predict, graph allocation (AccessDag.of), link alone (on a second graph), the rest of work(0)+collect)
//   2t       PredictedRun at 2 workers (what the engine runs), with each worker's thread CPU, how many
//            transactions each executed, and, from which worker ran each transaction: the key hand-offs
//            (an access whose key's previous accessor ran on the other worker: its slot, key object and value
//            lines were last written there) and the neighbours split (t and t+1 run on different workers:
//            the results/outcomes/pending lines they share are written from both cores).
// seq and 1t are the calling thread's CPU time (a busy machine's preemption left out), 2t one job is wall time.
// Also the release's read-modify-writes per block (needs round 8's classes: AccessDag.waits). Medians of the timed reps. Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/RunDecomposition.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.RunDecomposition transfer:10000,mixed,utxo 31
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.bench.EngineBench;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.SignatureRules;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.model.state.StateKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public class RunDecomposition {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** Which worker ran each transaction (set by the wrapping VM). */
    static int[] ranBy;
    /** Nanoseconds inside the VM per worker, in the traced run. */
    static final long[] vmNanos = new long[2];
    static final ThreadLocal<Integer> WORKER = ThreadLocal.withInitial(() -> -1);

    public static void main(String[] args) {
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        System.out.println("workload | seq | 1t predict | 1t of | 1t link | 1t run | 1t total | 2t one job | 2t cpu w0 / w1 | 2t tx w0 / w1 | key hand-offs / accesses | neighbours split | traced: wall, in VM w0 / w1");
        for (String spec : args[0].split(",")) {
            measure(BenchWorkload.parse(spec), reps);
        }
    }

    static void measure(BenchWorkload w, int reps) {
        GeneratedChain gen = EngineBench.NATIVE.chain(w, 10000, 42, SignatureScheme.fromId("ed25519"));
        List<ChainEvent> events = gen.generateAll();
        InMemoryStateStore base = new InMemoryStateStore();
        TransactionVm inner = EngineBench.NATIVE.vm();
        try (SequentialEngine setup = new SequentialEngine(inner)) {
            ChainRunner runner = new ChainRunner(gen.config(), base, setup, new BlockPreparer(null));
            for (ChainEvent e : events.subList(0, events.size() - 1)) {
                runner.process(e);
            }
        }
        Block block = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        List<PreparedTx> txs = BlockPreparer.decode(block);
        BlockContext ctx = new BlockContext(gen.config(), block.getHeader().getHeight(), block.getHeader().getTimestamp());
        int n = txs.size();
        ranBy = new int[n];
        Map<PreparedTx, Integer> index = new java.util.IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(txs.get(i), i);
        }
        TransactionVm vm = !w.signatures() ? inner : (tx, b, state) -> { // as the bench: verify only for a '+sig' workload
            RuleViolation bad = SignatureRules.check(tx, b.config().chainId(), b.config().scheme());
            if (bad != null) {
                throw bad;
            }
            return inner.execute(tx, b, state);
        };
        // the same VM plus a record of which worker ran each transaction (2t only: the hash lookup costs)
        TransactionVm tracing = (tx, b, state) -> {
            int worker = WORKER.get();
            ranBy[index.get(tx)] = worker;
            long t0 = System.nanoTime();
            try {
                return vm.execute(tx, b, state);
            } finally {
                vmNanos[worker] += System.nanoTime() - t0;
            }
        };
        double[][] ms = new double[15][reps];
        int warmup = 5;
        try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(vm)) {
            for (int i = -warmup; i < reps; i++) {
                long a = MX.getCurrentThreadCpuTime();
                seq.execute(ctx, txs, base);
                long b = MX.getCurrentThreadCpuTime();
                // one thread: the 2-worker run, every part on this thread
                AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                AccessDag.predict(txs, p, 0, n);
                long c = MX.getCurrentThreadCpuTime();
                AccessDag alone = AccessDag.of(p);
                long d = MX.getCurrentThreadCpuTime();
                alone.link(n); // linking alone, on a graph of its own (work(0) links its graph itself)
                long e = MX.getCurrentThreadCpuTime();
                AccessDag dag = AccessDag.of(p);
                long e2 = MX.getCurrentThreadCpuTime();
                DagRun run = new DagRun(dag, ctx, txs, base, vm, 2);
                WorkerPool.Stop stop = new WorkerPool.Stop();
                run.work(0, stop);
                run.work(1, stop);
                run.collect(pool, 2);
                long f = MX.getCurrentThreadCpuTime();
                // two threads: what the engine runs, with each worker's CPU
                PredictedRun two = new PredictedRun(ctx, txs, base, vm, 2);
                long[] cpu = new long[2];
                long g = System.nanoTime();
                pool.run(2, (worker, s) -> {
                    WORKER.set(worker);
                    long c0 = MX.getCurrentThreadCpuTime();
                    two.work(worker, s);
                    cpu[worker] = MX.getCurrentThreadCpuTime() - c0;
                });
                two.collect(pool, 2);
                long h = System.nanoTime();
                // the same again with the tracing VM (untimed: its lookup costs): who ran what
                PredictedRun traced = new PredictedRun(ctx, txs, base, tracing, 2);
                vmNanos[0] = vmNanos[1] = 0;
                long tw = System.nanoTime();
                pool.run(2, (worker, s) -> {
                    WORKER.set(worker);
                    traced.work(worker, s);
                });
                tw = System.nanoTime() - tw;
                if (i >= 0) {
                    ms[0][i] = (b - a) / 1e6;
                    ms[1][i] = (c - b) / 1e6;
                    ms[2][i] = (d - c) / 1e6;
                    ms[3][i] = (e - d) / 1e6;
                    ms[4][i] = (f - e2 - (e - d)) / 1e6; // link+sort+run+collect minus linking alone
                    ms[5][i] = (f - e2 + (d - b)) / 1e6; // predict + of + work + collect
                    ms[6][i] = (h - g) / 1e6;
                    ms[7][i] = cpu[0] / 1e6;
                    ms[8][i] = cpu[1] / 1e6;
                    int w0 = 0;
                    for (int t = 0; t < n; t++) {
                        w0 += ranBy[t] == 0 ? 1 : 0;
                    }
                    ms[9][i] = w0;
                    ms[10][i] = handOffs(traced.dag(), n);
                    int split = 0;
                    for (int t = 0; t + 1 < n; t++) {
                        split += ranBy[t] != ranBy[t + 1] ? 1 : 0;
                    }
                    ms[11][i] = split;
                    ms[12][i] = vmNanos[0] / 1e6;
                    ms[13][i] = vmNanos[1] / 1e6;
                    ms[14][i] = tw / 1e6;
                }
            }
        }
        AccessDag dag = AccessDag.build(txs);
        int accesses = dag.accessStart[n];
        // the release's read-modify-writes per block, from the fully linked graph: round 7 swaps every
        // access's stack closed and decrements once per successor node; round 8 (once linked) swaps
        // none and decrements only for successors counted with two or more predecessors
        int nodes = 0;
        int soleNodes = 0;
        for (int a = 0; a < accesses; a++) {
            for (int node = dag.successors.get(a); node > AccessDag.EMPTY; node = dag.nodeNext[node]) {
                nodes++;
                soleNodes += dag.waits[dag.nodeTx[node]] == 1 ? 1 : 0;
            }
        }
        System.out.printf("%s: release RMWs per block, round 7 %d (swaps %d + decrements %d), round 8 once linked %d%n",
                w.label(), accesses + nodes, accesses, nodes, nodes - soleNodes);
        System.out.printf("%s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f / %.2f | %.0f / %.0f | %.0f / %d | %.0f | %.2f, %.2f / %.2f%n",
                w.label(), med(ms[0]), med(ms[1]), med(ms[2]), med(ms[3]), med(ms[4]), med(ms[5]), med(ms[6]),
                med(ms[7]), med(ms[8]), med(ms[9]), n - med(ms[9]), med(ms[10]), accesses, med(ms[11]), med(ms[14]), med(ms[12]), med(ms[13]));
    }

    /** Accesses whose key's previous accessor (in block order) ran on the other worker. */
    static int handOffs(AccessDag dag, int n) {
        Map<StateKey, Integer> last = new HashMap<>();
        int count = 0;
        for (int t = 0; t < n; t++) {
            for (int a = dag.accessStart[t]; a < dag.accessStart[t + 1]; a++) {
                Integer prev = last.put(dag.keys.key(dag.accessKey[a]), ranBy[t]);
                if (prev != null && prev != ranBy[t]) {
                    count++;
                }
            }
        }
        return count;
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
