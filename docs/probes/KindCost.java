// Probe (not a test), issue 11 round 13: what the payoff check's kind costs per block, before any sample, against the
// contention sample itself, for the bench engine's 10,000-tx ed25519 block of each workload (seed 42, the chain's
// last block; contract workloads from the wasm module). On ONE thread, in that thread's CPU time, ns per block,
// medians of the timed reps (each rep = `calls` calls back to back, divided):
//   round 12  the kind as round 12's BlockStmEngine.kindOf read it: the type, else DependencyAnalyzer.accessSet(tx)
//             .complete() for each transaction of the 256-tx prefix (keys built for every contract call)
//   engine    BlockStmEngine.kindOf of the build on the classpath (round 13: DependencyAnalyzer.predictsCompletely,
//             the type and the declared list's presence and size, no key built)
//   sample    DependencyAnalyzer.analyze over the same prefix (what a parallel block pays after the kind)
// and checks that the three agree on the kind. Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/KindCost.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms2g -Xmx2g -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.blockstm.KindCost token-listed:10000,token:10000,amm-listed,transfer:10000,mixed 21 200
package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.analysis.BlockDependencies;
import io.bitquan.flow.execution.analysis.DependencyAnalyzer;
import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.bench.EngineBench;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.wasm.Contracts;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;

public class KindCost {
    static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    static final int SIZE = 10_000;
    static long sink;

    public static void main(String[] args) {
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 21;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        System.out.println("workload | kind | round 12 ns/block | engine ns/block | sample ns/block | round 12 / engine | sample / engine");
        for (String spec : args[0].split(",")) {
            List<PreparedTx> txs = block(BenchWorkload.parse(spec));
            List<PreparedTx> prefix = txs.subList(0, Math.min(txs.size(), BlockStmEngine.CONTENTION_SAMPLE));
            ParallelPayoff.Kind engine = BlockStmEngine.kindOf(txs, true);
            ParallelPayoff.Kind old = roundTwelve(txs);
            ParallelPayoff.Kind sampled = DependencyAnalyzer.analyze(prefix).incompleteTxs() == 0
                    ? ParallelPayoff.Kind.SCHEDULED : ParallelPayoff.Kind.OPTIMISTIC;
            if (engine != old || engine != sampled) {
                throw new IllegalStateException(spec + ": kinds differ " + engine + " / " + old + " / " + sampled);
            }
            double[][] v = new double[3][reps];
            for (int i = -5; i < reps; i++) {
                long a = MX.getCurrentThreadCpuTime();
                for (int c = 0; c < calls; c++) {
                    sink += roundTwelve(txs).ordinal();
                }
                long b = MX.getCurrentThreadCpuTime();
                for (int c = 0; c < calls; c++) {
                    sink += BlockStmEngine.kindOf(txs, true).ordinal();
                }
                long d = MX.getCurrentThreadCpuTime();
                for (int c = 0; c < calls; c++) {
                    BlockDependencies s = DependencyAnalyzer.analyze(prefix);
                    sink += s.incompleteTxs();
                }
                long e = MX.getCurrentThreadCpuTime();
                if (i >= 0) {
                    v[0][i] = (double) (b - a) / calls;
                    v[1][i] = (double) (d - b) / calls;
                    v[2][i] = (double) (e - d) / calls;
                }
            }
            double o = median(v[0]);
            double n = median(v[1]);
            double s = median(v[2]);
            System.out.printf(java.util.Locale.ROOT, "%s | %s | %.0f | %.0f | %.0f | %.1fx | %.1fx%n",
                    spec, engine, o, n, s, o / n, s / n);
        }
        System.out.println("(sink " + sink + ")");
    }

    /** Round 12's kindOf (BlockStmEngine at 41287da), kept here to time it beside the build's. */
    static ParallelPayoff.Kind roundTwelve(List<PreparedTx> txs) {
        for (int i = 0, k = Math.min(txs.size(), BlockStmEngine.CONTENTION_SAMPLE); i < k; i++) {
            Object body = txs.get(i).body();
            boolean complete = body instanceof AccountTransfer || body instanceof UtxoTransfer || body instanceof Coinbase
                    || DependencyAnalyzer.accessSet(txs.get(i)).complete();
            if (!complete) {
                return ParallelPayoff.Kind.OPTIMISTIC;
            }
        }
        return ParallelPayoff.Kind.SCHEDULED;
    }

    static List<PreparedTx> block(BenchWorkload w) {
        SignatureScheme scheme = SignatureScheme.fromId("ed25519");
        GeneratedChain gen;
        if (Contracts.isContractWorkload(w.id())) {
            gen = Contracts.generator(42, 2, SIZE, w.id(), w.accounts(), scheme);
        } else if (Contracts.isListedContractWorkload(w.id())) {
            gen = Contracts.listedGenerator(42, 2, SIZE, w.id(), w.accounts(), scheme);
        } else {
            gen = EngineBench.NATIVE.chain(w, SIZE, 42, scheme);
        }
        List<ChainEvent> events = gen.generateAll();
        Block block = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        return BlockPreparer.decode(block);
    }

    static double median(double[] values) {
        double[] c = values.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
