// Probe (not a test), issue 11 round 12: loops BlockStmEngine at 2 threads with the contention fallback off (the
// predicted schedule, as `block-stm-no-fallback` in the bench) over the bench's 10,000-tx ed25519 block, alone ("eng",
// for JFR), the sequential engine alone ("seq"), or both interleaved block by block ("both": the in-launch ratio of an
// alternated A/B, one JVM per build). Prints the medians of each. Run (after `mvn -B -q -o -DskipTests package`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/EngineLoop.java docs/probes/KeyCosts.java
//   BITQUAN_CACHE=$PWD/target/key-cache java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -cp /tmp/probe:$J \
//       io.bitquan.flow.execution.dag.EngineLoop transfer:10000 20 both
// JFR: add -XX:StartFlightRecording=filename=/tmp/e.jfr,settings=profile and use mode "eng".
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.engine.SequentialEngine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

public class EngineLoop {
    public static void main(String[] args) {
        KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(args[0]));
        int seconds = Integer.parseInt(args[1]);
        String mode = args.length > 2 ? args[2] : "both";
        List<Double> seqMs = new ArrayList<>();
        List<Double> engMs = new ArrayList<>();
        try (SequentialEngine seq = new SequentialEngine(s.vm());
             BlockStmEngine eng = new BlockStmEngine(s.vm(), BlockStmOptions.defaults(2).withContentionFallback(false))) {
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < end) {
                if (!mode.equals("eng")) {
                    long a = System.nanoTime();
                    seq.execute(s.ctx(), s.txs(), s.base());
                    seqMs.add((System.nanoTime() - a) / 1e6);
                }
                if (!mode.equals("seq")) {
                    long a = System.nanoTime();
                    eng.execute(s.ctx(), s.txs(), s.base());
                    engMs.add((System.nanoTime() - a) / 1e6);
                }
            }
        }
        System.out.printf("%s: seq median %.2f ms (%d), engine median %.2f ms (%d)%n", args[0], med(seqMs), seqMs.size(), med(engMs), engMs.size());
    }

    static double med(List<Double> v) {
        if (v.isEmpty()) {
            return 0;
        }
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }
}
