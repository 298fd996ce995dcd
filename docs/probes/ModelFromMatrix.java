// Probe (not a test), issue 11 round 13: the work/span model fitted to a 2-worker ratio and a 2-thread ceiling read
// from another launch (e.g. the lead's idle matrix), so the many-core figures can be stated from quiet measurements
// when this launch's own are loaded. The block's graph and per-transaction cost shape are measured here (only their
// ratios enter the model); measured 2 and the ceiling are the arguments. Prints the model's figures (the bench's columns
// from the ceiling on). In package dag to reuse KeyCosts' setup of the bench's block.
// Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/ModelFromMatrix.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms2g -Xmx2g -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.ModelFromMatrix transfer:10000=0.65/1.88 mixed=0.95/1.76 utxo=1.33/1.92
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.bench.WorkSpanModel;
import java.util.Locale;

public class ModelFromMatrix {
    public static void main(String[] args) {
        System.out.println("| workload | parallelism | ceiling | e | measured 2 | fitted per tx | serial part | sim 2 | sim 4 | sim 8 | sim 16 | sim 32 | sim 8, serial |");
        for (String arg : args) {
            String[] parts = arg.split("=");
            String[] fit = parts[1].split("/");
            KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(parts[0]));
            WorkSpanModel.Calibration c = new WorkSpanModel.Calibration(Double.NaN, Double.parseDouble(fit[0]), Double.parseDouble(fit[1]));
            WorkSpanModel.Result r = WorkSpanModel.measure(s.ctx(), s.txs(), s.base(), s.vm(), 7, c);
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %.1f | %.2fx | %.2f | %.2fx | %.0f %% | %.0f %% |",
                    parts[0], r.parallelism(), c.ceilingTwo(), r.efficiency(), c.measuredTwo(), 100 * r.overheadShare(), 100 * r.serialShare()));
            for (int p : WorkSpanModel.WORKERS) {
                line.append(String.format(Locale.ROOT, " %.2fx |", r.simulated().get(p)));
            }
            System.out.println(line.append(String.format(Locale.ROOT, " %.2fx |", r.simulatedSerial().get(8))));
        }
    }
}
