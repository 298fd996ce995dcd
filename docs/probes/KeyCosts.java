// Probe (not a test): what the predicted schedule's prediction and the VM spend on state keys, issue 11 round 9.
// For each workload's 10,000-tx ed25519 block (the bench engine's block: seed 42, the chain's last block), on ONE
// thread, in that thread's CPU time (a busy machine's preemption left out), medians of the timed reps:
//   seq       the sequential engine
//   predict   AccessDag.predict over the block (build the keys from the transactions' buffers + hash them)
//   build     NativePrediction.of alone (the keys built, not hashed; the prediction records; from round 10 also the
//             public keys' BLAKE3 for the rules' key binding checks, KeyBinding, which "predict" includes too)
//   hash      hashing freshly built keys (the share of predict that is StateKey.bytesHash)
//   link      AccessDag.of + link (interning: one hash-table probe per access, equality on a hit)
//   run       the DagRun built for 2 workers run by this thread after linking (the VM with the view, sort, writes, collect)
//   vm keys   building the keys the VM builds for the block once more (the rules' StateKey.account / utxo calls, no hash),
//             i.e. what the VM spends building keys the prediction already built
//   allocated bytes per block of predict and of the 1t run (ThreadMXBean allocated bytes)
// With a mode argument "loop:<workload>:<seconds>:<seq|1t>" it only loops one engine (for JFR:
//   java -XX:StartFlightRecording=settings=profile,filename=/tmp/k.jfr ... KeyCosts loop:transfer:10000:40:1t).
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.KeyCosts transfer:10000,mixed,utxo 31
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
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.model.state.StateKey;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

public class KeyCosts {
    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    static long sink;

    record Setup(BlockContext ctx, List<PreparedTx> txs, InMemoryStateStore base, TransactionVm vm) {}

    public static void main(String[] args) {
        if (args[0].startsWith("loop:")) {
            String[] p = args[0].split(":");
            String spec = p.length == 5 ? p[1] + ":" + p[2] : p[1];
            loop(setup(BenchWorkload.parse(spec)), Integer.parseInt(p[p.length - 2]), p[p.length - 1]);
            return;
        }
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        System.out.println("workload | seq | predict | build | hash | link | run | 1t total | vm keys | alloc predict KB | alloc 1t KB | alloc seq KB");
        for (String spec : args[0].split(",")) {
            measure(BenchWorkload.parse(spec), reps);
        }
    }

    static Setup setup(BenchWorkload w) {
        GeneratedChain gen = EngineBench.NATIVE.chain(w, 10000, 42, SignatureScheme.fromId("ed25519"));
        List<ChainEvent> events = gen.generateAll();
        InMemoryStateStore base = new InMemoryStateStore();
        TransactionVm vm = EngineBench.NATIVE.vm();
        try (SequentialEngine setup = new SequentialEngine(vm)) {
            ChainRunner runner = new ChainRunner(gen.config(), base, setup, new BlockPreparer(null));
            for (ChainEvent e : events.subList(0, events.size() - 1)) {
                runner.process(e);
            }
        }
        Block block = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        List<PreparedTx> txs = BlockPreparer.decode(block);
        BlockContext ctx = new BlockContext(gen.config(), block.getHeader().getHeight(), block.getHeader().getTimestamp());
        return new Setup(ctx, txs, base, vm);
    }

    static void loop(Setup s, int seconds, String mode) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(s.vm())) {
            int blocks = 0;
            while (System.nanoTime() < end) {
                if (mode.equals("seq")) {
                    seq.execute(s.ctx(), s.txs(), s.base());
                } else {
                    oneThread(s, pool);
                }
                blocks++;
            }
            System.out.println(mode + ": " + blocks + " blocks");
        }
    }

    static void oneThread(Setup s, WorkerPool pool) {
        int n = s.txs().size();
        AccessDag.Prediction[] p = new AccessDag.Prediction[n];
        AccessDag.predict(s.txs(), p, 0, n);
        DagRun run = new DagRun(AccessDag.of(p), s.ctx(), s.txs(), s.base(), s.vm(), 2);
        WorkerPool.Stop stop = new WorkerPool.Stop();
        run.work(0, stop);
        run.work(1, stop);
        run.collect(pool, 2);
    }

    static void measure(BenchWorkload w, int reps) {
        Setup s = setup(w);
        List<PreparedTx> txs = s.txs();
        int n = txs.size();
        double[][] v = new double[11][reps];
        int warmup = 5;
        try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(s.vm())) {
            for (int i = -warmup; i < reps; i++) {
                long a0 = MX.getCurrentThreadAllocatedBytes();
                long a = MX.getCurrentThreadCpuTime();
                seq.execute(s.ctx(), txs, s.base());
                long b = MX.getCurrentThreadCpuTime();
                long a1 = MX.getCurrentThreadAllocatedBytes();
                AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                AccessDag.predict(txs, p, 0, n);
                long c = MX.getCurrentThreadCpuTime();
                long a2 = MX.getCurrentThreadAllocatedBytes();
                // built only: the predictions without hashing
                AccessDag.Prediction[] built = new AccessDag.Prediction[n];
                for (int t = 0; t < n; t++) {
                    built[t] = NativePrediction.of(txs.get(t));
                }
                long d = MX.getCurrentThreadCpuTime();
                long h = 0;
                for (AccessDag.Prediction own : built) {
                    if (own != null) {
                        for (StateKey k : own.keys()) {
                            h += k.hashCode();
                        }
                    }
                }
                long e = MX.getCurrentThreadCpuTime();
                AccessDag dag = AccessDag.of(p);
                dag.link(n);
                long f = MX.getCurrentThreadCpuTime();
                // the 1t run, graph built again (as the engine does: link inside work(0))
                long a3 = MX.getCurrentThreadAllocatedBytes();
                long g0 = MX.getCurrentThreadCpuTime();
                DagRun run = new DagRun(AccessDag.of(p), s.ctx(), txs, s.base(), s.vm(), 2);
                WorkerPool.Stop stop = new WorkerPool.Stop();
                run.work(0, stop);
                run.work(1, stop);
                run.collect(pool, 2);
                long g = MX.getCurrentThreadCpuTime();
                long a4 = MX.getCurrentThreadAllocatedBytes();
                // what the VM's rules build again: the same calls the rules make, no hash
                h += vmKeys(txs);
                long k = MX.getCurrentThreadCpuTime();
                sink += h;
                if (i >= 0) {
                    v[0][i] = (b - a) / 1e6;
                    v[1][i] = (c - b) / 1e6;
                    v[2][i] = (d - c) / 1e6;
                    v[3][i] = (e - d) / 1e6;
                    v[4][i] = (f - e) / 1e6;
                    v[5][i] = (g - g0 - (f - e)) / 1e6; // the run without linking
                    v[6][i] = (g - g0 + (c - b)) / 1e6;
                    v[7][i] = (k - g) / 1e6;
                    v[8][i] = (a2 - a1) / 1024.0;
                    v[9][i] = (a4 - a3 + a2 - a1) / 1024.0;
                    v[10][i] = (a1 - a0) / 1024.0;
                }
            }
        }
        System.out.printf("%s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f | %.0f%n", w.label(),
                med(v[0]), med(v[1]), med(v[2]), med(v[3]), med(v[4]), med(v[5]), med(v[6]), med(v[7]), med(v[8]), med(v[9]), med(v[10]));
    }

    /** The keys the native rules build while executing (AccountRules / UtxoRules), with their byte copies. */
    static long vmKeys(List<PreparedTx> txs) {
        long h = 0;
        for (PreparedTx ptx : txs) {
            Object body = ptx.body();
            if (body instanceof AccountTransfer t) {
                h += StateKey.account(Bytes.of(t.getSender())).prefix();
                h += StateKey.account(Bytes.of(t.getRecipient())).prefix();
            } else if (body instanceof UtxoTransfer t) {
                for (TxInput in : t.getInputs()) {
                    h += StateKey.utxo(Bytes.of(in.getPrevTxId()), in.getPrevIndex()).prefix();
                }
                for (int o = 0; o < t.getOutputs().size(); o++) {
                    h += StateKey.utxo(ptx.txId(), o).prefix();
                }
            }
        }
        return h;
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
