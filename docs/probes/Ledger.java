// Probe (not a test), issue 11 round 14: the ledger of a light transfer block, per transaction: what the sequential
// engine spends and what the predicted schedule spends in each of its steps, on ONE thread (that thread's CPU time, a
// busy machine's preemption left out) and at TWO workers (each worker's thread CPU over the job, summed). The bench
// engine's 10,000-tx ed25519 block (seed 42, the chain's last block). Medians of the timed reps, us per transaction.
//   seq               SequentialEngine.execute
//   seq: rules        the VM over a state that holds nothing (each read answers the account's value from a
//                     prepared array, writes dropped, publicKeyHash = the sender: no hash): the rules' own work
//                     (field copies, amounts, AccountState / TxOutcome objects); what every engine pays
//   pubkey BLAKE3     Blake3.hash of each presented public key (the key binding check): paid by every engine, in
//                     the sequential VM or in the schedule's prediction (with a reused state, KeyHasher: "binding")
//   keys built        StateKey.account of sender and recipient, from the Avro buffers
//   keys hashed       StateKey.hashCode of those keys (Java's 31-hash over 33 bytes; cached in the key)
//   base reads        InMemoryStateStore.read of both keys (keys already hashed)
//   predict           AccessDag.predict in 64-tx chunks with the base (what PredictedRun's workers run)
//   predict other     predict - (keys built + hashed + binding + base reads): records, arrays, the type tests
//   graph alloc       AccessDag.of
//   link              AccessDag.link of the whole block (interning included)
//   interning         KeyIndex.intern of every access's key alone (a fresh index)
//   run               DagRun (for 2 workers) run by this thread: link + sort + run + make writes, then collect, minus link
//                     and graph alloc as measured alone (a graph linked beforehand cannot be handed to DagRun: its linker relinks)
//   run, no-op VM     the same with a VM that touches no state (returns the outcome): claims, releases, outcomes, writes
//   write-set sort    IdOrder.sort of the writable keys alone
//   2w job cpu        PredictedRun at 2 workers on the pool (what the engine runs): w0 + w1 thread CPU over the job,
//                     and collect; 2w predict cpu: AccessDag.predict(txs, pool, 2) alone, w0 + w1 CPU
//                     (round 16: this thread CPU equals the kernel's on-CPU time, docs/probes/Overlap.java; w0 + w1 below
//                     the job's wall is run-queue time: both workers runnable, one CPU's worth, not a lock or a wrong reading)
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/Ledger.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.Ledger transfer:10000 31
// With "loop:<workload>:<seconds>:<seq|1t|2t>" it loops one way only (for JFR, -XX:StartFlightRecording=...,settings=profile;
// docs/probes/jfrbuckets.py groups the samples into the ledger's steps).
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.util.Arrays;
import java.util.List;

public class Ledger {
    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    static long sink;

    static final String[] COLS = {"seq", "seq: rules", "pubkey BLAKE3", "keys built", "keys hashed", "base reads", "predict", "binding (KeyHasher)",
        "graph alloc", "link", "interning", "run (sort+run+writes+collect)", "run, no-op VM", "write-set sort", "2w job cpu w0+w1", "2w job wall",
        "2w collect", "2w predict cpu w0+w1", "2w predict wall", "seq alloc B/tx", "1t alloc B/tx", "2w cpu w0", "2w cpu w1"};

    public static void main(String[] args) {
        if (args[0].startsWith("loop:")) {
            String[] p = args[0].split(":");
            String spec = p.length == 5 ? p[1] + ":" + p[2] : p[1];
            loop(KeyCosts.setup(BenchWorkload.parse(spec)), Integer.parseInt(p[p.length - 2]), p[p.length - 1]);
            return;
        }
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        for (String spec : args[0].split(",")) {
            measure(spec + " size " + size, setup(BenchWorkload.parse(spec), size), reps);
        }
    }

    /** As {@link KeyCosts#setup}, for blocks of {@code size} transactions (the cache-distance check: a small block's predictions are still in cache when the run reads them). */
    static KeyCosts.Setup setup(BenchWorkload w, int size) {
        if (size == 10_000) {
            return KeyCosts.setup(w);
        }
        io.bitquan.flow.execution.generator.GeneratedChain gen = io.bitquan.flow.execution.bench.EngineBench.NATIVE.chain(w, size, 42,
                io.bitquan.flow.model.crypto.SignatureScheme.fromId("ed25519"));
        List<io.bitquan.flow.model.avro.ChainEvent> events = gen.generateAll();
        io.bitquan.flow.model.state.InMemoryStateStore base = new io.bitquan.flow.model.state.InMemoryStateStore();
        TransactionVm vm = io.bitquan.flow.execution.bench.EngineBench.NATIVE.vm();
        try (SequentialEngine setup = new SequentialEngine(vm)) {
            io.bitquan.flow.execution.chain.ChainRunner runner = new io.bitquan.flow.execution.chain.ChainRunner(gen.config(), base, setup,
                    new io.bitquan.flow.execution.chain.BlockPreparer(null));
            for (io.bitquan.flow.model.avro.ChainEvent e : events.subList(0, events.size() - 1)) {
                runner.process(e);
            }
        }
        io.bitquan.flow.model.avro.Block block = ((io.bitquan.flow.model.avro.BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        List<PreparedTx> txs = io.bitquan.flow.execution.chain.BlockPreparer.decode(block);
        io.bitquan.flow.execution.vm.BlockContext ctx = new io.bitquan.flow.execution.vm.BlockContext(gen.config(),
                block.getHeader().getHeight(), block.getHeader().getTimestamp());
        return new KeyCosts.Setup(ctx, txs, base, vm);
    }

    static void loop(KeyCosts.Setup s, int seconds, String mode) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        int n = s.txs().size();
        int blocks = 0;
        try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(s.vm())) {
            while (System.nanoTime() < end) {
                switch (mode) {
                    case "seq" -> seq.execute(s.ctx(), s.txs(), s.base());
                    case "1t", "1tnoop" -> {
                        AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                        predictChunked(s, p);
                        TransactionVm vm = mode.equals("1t") ? s.vm() : noop(s.vm());
                        DagRun run = new DagRun(AccessDag.of(p), s.ctx(), s.txs(), s.base(), vm, 2);
                        WorkerPool.Stop stop = new WorkerPool.Stop();
                        run.work(0, stop);
                        run.work(1, stop);
                        run.collect(pool, 2);
                    }
                    default -> {
                        PredictedRun two = new PredictedRun(s.ctx(), s.txs(), s.base(), s.vm(), 2);
                        pool.run(2, two::work);
                        two.collect(pool, 2);
                    }
                }
                blocks++;
            }
        }
        System.out.println(mode + ": " + blocks + " blocks");
    }

    /** A VM that makes a transfer's outcome and touches no state (other transactions run as usual). */
    static TransactionVm noop(TransactionVm vm) {
        return (tx, b, state) -> tx.body() instanceof AccountTransfer tr ? TxOutcome.ok(tr.getFee()) : vm.execute(tx, b, state);
    }

    static void predictChunked(KeyCosts.Setup s, AccessDag.Prediction[] p) {
        int n = p.length;
        for (int from = 0; from < n; from += 64) {
            AccessDag.predict(s.txs(), p, from, Math.min(n, from + 64), s.base());
        }
    }

    /** A state that holds nothing: reads answer from {@code values} by the rules' call order, writes are dropped. */
    static final class Empty implements StateAccess {
        StateValue[] values;
        int next;
        byte[] sender;

        @Override
        public StateValue read(StateKey key) {
            return values[next++];
        }

        @Override
        public void write(StateKey key, StateValue value) {
        }

        @Override
        public byte[] publicKeyHash(byte[] publicKey) {
            return sender;
        }
    }

    static void measure(String spec, KeyCosts.Setup s, int reps) {
        List<PreparedTx> txs = s.txs();
        int n = txs.size();
        TransactionVm vm = s.vm();
        // the rules' reads, in the order they make them (sender, then recipient), from the base (a transfer block's
        // accounts are read once each per tx; values before the block are as good as any for the rules' own work)
        StateValue[][] seen = new StateValue[n][];
        byte[][] senders = new byte[n][];
        int[] cursor = {0};
        TransactionVm recording = (tx, b, state) -> { // the values each transaction reads, as sequentially
            java.util.List<StateValue> got = new java.util.ArrayList<>();
            int t = cursor[0]++;
            TxOutcome out = vm.execute(tx, b, new StateAccess() {
                @Override
                public StateValue read(StateKey key) {
                    StateValue value = state.read(key);
                    got.add(value);
                    return value;
                }

                @Override
                public void write(StateKey key, StateValue value) {
                    state.write(key, value);
                }
            });
            seen[t] = got.toArray(new StateValue[0]);
            return out;
        };
        try (SequentialEngine once = new SequentialEngine(recording)) {
            once.execute(s.ctx(), txs, s.base());
        }
        for (int t = 0; t < n; t++) {
            if (txs.get(t).body() instanceof AccountTransfer tr) {
                senders[t] = Bytes.of(tr.getSender());
            } else {
                seen[t] = null;
            }
        }
        TransactionVm noop = noop(vm);
        double[][] v = new double[COLS.length][reps];
        Empty empty = new Empty();
        try (WorkerPool pool = new WorkerPool(2); SequentialEngine seq = new SequentialEngine(vm)) {
            for (int i = -7; i < reps; i++) {
                long[] c = new long[40];
                int k = 0;
                long m0 = MX.getCurrentThreadAllocatedBytes();
                c[k++] = MX.getCurrentThreadCpuTime();
                seq.execute(s.ctx(), txs, s.base());
                c[k++] = MX.getCurrentThreadCpuTime();
                long m1 = MX.getCurrentThreadAllocatedBytes();
                // seq: rules over an empty state (transfers only)
                for (int t = 0; t < n; t++) {
                    if (seen[t] == null) {
                        continue;
                    }
                    empty.values = seen[t];
                    empty.next = 0;
                    empty.sender = senders[t];
                    sink += vm.execute(txs.get(t), s.ctx(), empty).fee();
                }
                c[k++] = MX.getCurrentThreadCpuTime();
                for (int t = 0; t < n; t++) {
                    if (txs.get(t).body() instanceof AccountTransfer at) {
                        sink += Blake3.hash(Bytes.of(at.getPublicKey()))[0];
                    }
                }
                c[k++] = MX.getCurrentThreadCpuTime();
                StateKey[] keys = new StateKey[2 * n];
                for (int t = 0; t < n; t++) {
                    if (txs.get(t).body() instanceof AccountTransfer at) {
                        keys[2 * t] = StateKey.account(at.getSender());
                        keys[2 * t + 1] = StateKey.account(at.getRecipient());
                        sink += keys[2 * t].equals(keys[2 * t + 1]) ? 1 : 0;
                    }
                }
                c[k++] = MX.getCurrentThreadCpuTime();
                for (StateKey key : keys) {
                    if (key != null) {
                        sink += key.hashCode();
                    }
                }
                c[k++] = MX.getCurrentThreadCpuTime();
                for (StateKey key : keys) {
                    if (key != null) {
                        sink += s.base().read(key) == null ? 0 : 1;
                    }
                }
                c[k++] = MX.getCurrentThreadCpuTime();
                long m2 = MX.getCurrentThreadAllocatedBytes();
                AccessDag.Prediction[] p = new AccessDag.Prediction[n];
                predictChunked(s, p);
                c[k++] = MX.getCurrentThreadCpuTime(); // 7
                KeyHasher hasher = new KeyHasher();
                for (int t = 0; t < n; t++) {
                    if (txs.get(t).body() instanceof AccountTransfer at) {
                        if (t % 64 == 0) {
                            hasher = new KeyHasher();
                        }
                        sink += new KeyBinding(Bytes.of(at.getPublicKey()), hasher).hashOf(senders[t]) == null ? 0 : 1;
                    }
                }
                c[k++] = MX.getCurrentThreadCpuTime(); // 8
                AccessDag dag = AccessDag.of(p);
                c[k++] = MX.getCurrentThreadCpuTime(); // 9
                dag.link(n);
                c[k++] = MX.getCurrentThreadCpuTime(); // 10
                KeyIndex index = new KeyIndex(dag.accessStart[n]);
                for (AccessDag.Prediction own : p) {
                    for (StateKey key : own.keys()) {
                        sink += index.intern(key);
                    }
                }
                c[k++] = MX.getCurrentThreadCpuTime(); // 11
                int[] writable = Arrays.copyOf(dag.writable, dag.writableCount());
                DagRun run = new DagRun(AccessDag.of(p), s.ctx(), txs, s.base(), vm, 2); // links in work(0): link subtracted below
                WorkerPool.Stop stop = new WorkerPool.Stop();
                run.work(0, stop);
                run.work(1, stop);
                sink += run.collect(pool, 2).writes().size();
                c[k++] = MX.getCurrentThreadCpuTime(); // 12
                long m3 = MX.getCurrentThreadAllocatedBytes();
                c[k++] = MX.getCurrentThreadCpuTime(); // 13
                DagRun idle = new DagRun(AccessDag.of(p), s.ctx(), txs, s.base(), noop, 2);
                idle.work(0, stop);
                idle.work(1, stop);
                sink += idle.collect(pool, 2).writes().size();
                c[k++] = MX.getCurrentThreadCpuTime(); // 14
                IdOrder.sort(writable, writable.length, dag.keys);
                c[k++] = MX.getCurrentThreadCpuTime(); // 15
                // two workers, as the engine
                PredictedRun two = new PredictedRun(s.ctx(), txs, s.base(), vm, 2);
                long[] cpu = new long[2];
                long w0 = System.nanoTime();
                pool.run(2, (worker, st) -> {
                    long x = MX.getCurrentThreadCpuTime();
                    two.work(worker, st);
                    cpu[worker] = MX.getCurrentThreadCpuTime() - x;
                });
                long w1 = System.nanoTime();
                long cc = MX.getCurrentThreadCpuTime();
                sink += two.collect(pool, 2).writes().size();
                long cc2 = MX.getCurrentThreadCpuTime();
                long[] pcpu = new long[2];
                long pw0 = System.nanoTime();
                AccessDag.Prediction[] pp = new AccessDag.Prediction[n];
                java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
                pool.run(2, (worker, st) -> {
                    long x = MX.getCurrentThreadCpuTime();
                    for (int from; (from = next.getAndAdd(64)) < n; ) {
                        AccessDag.predict(txs, pp, from, Math.min(n, from + 64), s.base());
                    }
                    pcpu[worker] = MX.getCurrentThreadCpuTime() - x;
                });
                long pw1 = System.nanoTime();
                if (i >= 0) {
                    double us = 1e-3 / n; // ns per block -> us per tx
                    v[0][i] = (c[1] - c[0]) * us;
                    v[1][i] = (c[2] - c[1]) * us;
                    v[2][i] = (c[3] - c[2]) * us;
                    v[3][i] = (c[4] - c[3]) * us;
                    v[4][i] = (c[5] - c[4]) * us;
                    v[5][i] = (c[6] - c[5]) * us;
                    v[6][i] = (c[7] - c[6]) * us;
                    v[7][i] = (c[8] - c[7]) * us;
                    v[8][i] = (c[9] - c[8]) * us;
                    v[9][i] = (c[10] - c[9]) * us;
                    v[10][i] = (c[11] - c[10]) * us;
                    v[11][i] = (c[12] - c[11] - (c[10] - c[9]) - (c[9] - c[8])) * us; // minus link and graph alloc
                    v[12][i] = (c[14] - c[13] - (c[10] - c[9]) - (c[9] - c[8])) * us;
                    v[13][i] = (c[15] - c[14]) * us;
                    v[14][i] = (cpu[0] + cpu[1]) * us;
                    v[15][i] = (w1 - w0) * us;
                    v[16][i] = (cc2 - cc) * us;
                    v[17][i] = (pcpu[0] + pcpu[1]) * us;
                    v[18][i] = (pw1 - pw0) * us;
                    v[19][i] = (m1 - m0) / (double) n;
                    v[20][i] = (m3 - m2) / (double) n;
                    v[21][i] = cpu[0] * us;
                    v[22][i] = cpu[1] * us;
                }
            }
        }
        AccessDag built = AccessDag.build(txs);
        System.out.println(spec + ", us per tx (medians of " + reps + "), accesses " + built.accessStart[n] + ", distinct keys " + built.keyCount() + ", sink " + (sink & 1));
        for (int j = 0; j < COLS.length; j++) {
            System.out.printf("  %-34s %8.3f%n", COLS[j], med(v[j]));
        }
    }

    static double med(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
