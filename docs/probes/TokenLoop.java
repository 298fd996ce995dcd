// Probe (not a test), round 16 (branch tok16): the in-launch ratio of Block-STM (2 workers, or the count given) to the sequential engine
// on one bench block (contract workloads included: the bench's own chain source), the engines interleaved block by
// block in one JVM so a load change moves both sides alike (the bench interleaves engines rep by rep too, but reports
// the ratio of medians; this probe reports the median of per-round ratios; this machine's load moved 6-12 within one launch). Prints, per engine, the
// median ms and the median of the per-round ratios sequential/engine (rounds = one block of each engine, in rotated
// order). Every engine's write set, fees and outcome count are compared with the sequential reference's each round (a mismatch
// stops the probe). Run against any build's jar (one JVM per build, alternated), after `mvn -B -q -o -DskipTests package`:
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/TokenLoop.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.jobs.cli.TokenLoop token:10000 30 [threads, default 2]
// At 1 thread the engine's bookkeeping (lookups, base reads, records, output) runs on one core, so the ratio moves
// far less with the machine's load than the 2-worker one does.
package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

public class TokenLoop {
    public static void main(String[] args) throws Exception {
        BenchWorkload w = BenchWorkload.parse(args[0]);
        int seconds = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        GeneratedChain gen = BenchEngineCommand.ALL_WORKLOADS.chain(w, 10000, 42, SignatureScheme.fromId("ed25519"));
        List<ChainEvent> events = gen.generateAll();
        InMemoryStateStore base = new InMemoryStateStore();
        TransactionVm vm = BenchEngineCommand.ALL_WORKLOADS.vm();
        try (SequentialEngine setup = new SequentialEngine(vm)) {
            ChainRunner runner = new ChainRunner(gen.config(), base, setup, new BlockPreparer(null));
            for (ChainEvent e : events.subList(0, events.size() - 1)) {
                runner.process(e);
            }
        }
        Block block = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        List<PreparedTx> txs = BlockPreparer.decode(block);
        BlockContext ctx = new BlockContext(gen.config(), block.getHeader().getHeight(), block.getHeader().getTimestamp());
        String[] names = {"sequential", "block-stm", "block-stm-no-fallback"};
        ExecutionEngine[] engines = {new SequentialEngine(vm), new BlockStmEngine(vm, BlockStmOptions.defaults(threads)),
                new BlockStmEngine(vm, BlockStmOptions.defaults(threads).withContentionFallback(false))};
        List<List<Double>> ms = new ArrayList<>();
        List<List<Double>> ratio = new ArrayList<>();
        for (int i = 0; i < engines.length; i++) {
            ms.add(new ArrayList<>());
            ratio.add(new ArrayList<>());
        }
        BlockOutput reference = engines[0].execute(ctx, txs, base);
        long warmEnd = System.nanoTime() + 10_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        for (int round = 0; System.nanoTime() < end; round++) {
            double[] t = new double[engines.length];
            for (int k = 0; k < engines.length; k++) {
                int i = (k + round) % engines.length;
                long a = System.nanoTime();
                BlockOutput out = engines[i].execute(ctx, txs, base);
                t[i] = (System.nanoTime() - a) / 1e6;
                if (!same(out, reference)) {
                    throw new IllegalStateException(names[i] + " differs from sequential in round " + round);
                }
            }
            if (System.nanoTime() > warmEnd) {
                for (int i = 0; i < engines.length; i++) {
                    ms.get(i).add(t[i]);
                    ratio.get(i).add(t[0] / t[i]);
                }
            }
        }
        for (int i = 0; i < engines.length; i++) {
            System.out.printf("%s %s: median %.2f ms, median ratio to sequential %.3fx (%d rounds)%n", args[0], names[i],
                    med(ms.get(i)), med(ratio.get(i)), ms.get(i).size());
            engines[i].close();
        }
    }

    /** As the bench's check: acceptance, fees, outcome count, and every write's key and encoded value. */
    static boolean same(BlockOutput a, BlockOutput e) {
        boolean same = a.accepted() == e.accepted() && a.fees() == e.fees()
                && a.writes().size() == e.writes().size() && a.outcomes().size() == e.outcomes().size();
        for (int i = 0; same && i < a.writes().size(); i++) {
            var x = a.writes().get(i);
            var y = e.writes().get(i);
            same = x.key().equals(y.key()) && (x.value() == null ? y.value() == null
                    : y.value() != null && java.util.Arrays.equals(x.value().encode(), y.value().encode()));
        }
        return same;
    }

    static double med(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.isEmpty() ? 0 : s.get(s.size() / 2);
    }
}
