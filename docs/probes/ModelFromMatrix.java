// Probe (not a test), issue 11 round 13: the work/span model fitted to a 2-worker ratio and a 2-thread ceiling read
// from another launch (e.g. the lead's idle matrix), so the many-core figures can be stated from quiet measurements
// when this launch's own are loaded. The block's graph and per-transaction cost shape are measured here (only their
// ratios enter the model); measured 2 and the ceiling are the arguments. Prints the model's row as the bench does.
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/ModelFromMatrix.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms2g -Xmx2g -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.bench.ModelFromMatrix transfer:10000=0.65/1.88 mixed=0.95/1.76 utxo=1.33/1.92
package io.bitquan.flow.execution.bench;

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
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.List;

public class ModelFromMatrix {
    public static void main(String[] args) {
        System.out.println(EngineBench.modelHeader());
        for (String arg : args) {
            String[] parts = arg.split("=");
            String[] fit = parts[1].split("/");
            BenchWorkload w = BenchWorkload.parse(parts[0]);
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
            WorkSpanModel.Calibration c = new WorkSpanModel.Calibration(Double.NaN, Double.parseDouble(fit[0]), Double.parseDouble(fit[1]));
            WorkSpanModel.Result r = WorkSpanModel.measure(ctx, txs, base, vm, 7, c);
            System.out.println(EngineBench.formatModel(new EngineBench.ModelRow(w, 10000, r)));
        }
    }
}
