// Probe (not a test), round 16 (branch tok16): what the backed-out output merge would have saved. A token-like
// final write set (25,000 keys: 80% one contract's storage slots, 20% accounts) cut into 40 parts, as the run's
// output chunks: (a) the caller's whole sort (concatenate + KeyOrder.sort, what main does), (b) a merge of the parts
// already sorted (WriteSetSorter.sortedFrom as of commit dd43572, a k-way heap), (c) the 40 chunk sorts themselves
// (the workers' share in dd43572). Prints every 10th rep. Needs dd43572's build (its sortedFrom merges; on any other
// build (b) is the whole sort again):
//   build dd43572, J=<its bitquan-flow.jar>; mkdir -p /tmp/mp && javac -cp $J -d /tmp/mp docs/probes/MergeProbe.java
//   java -cp /tmp/mp:$J io.bitquan.flow.execution.blockstm.MergeProbe
// Measured at load ~5 (12:18 UTC): whole sort ~6.0 ms, merge ~3.4 ms, chunk sorts ~4.0 ms (the last three printed reps; the first are warm-up and GC).
package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.engine.KeyOrder;
import io.bitquan.flow.model.state.*;
import java.util.*;

public class MergeProbe {
    public static void main(String[] a) {
        Random r = new Random(1);
        byte[] contract = new byte[32]; r.nextBytes(contract);
        List<StateWrite> all = new ArrayList<>();
        for (int i = 0; i < 25000; i++) {
            byte[] id = new byte[32]; r.nextBytes(id);
            StateKey k = i % 5 == 0 ? StateKey.account(id) : StateKey.storage(contract, id);
            all.add(new StateWrite(k, new AccountState(i, 0)));
        }
        int parts = 40;
        for (int rep = 0; rep < 60; rep++) {
            Collections.shuffle(all, r);
            MvMemory.FinalWrites[] p1 = new MvMemory.FinalWrites[parts];
            MvMemory.FinalWrites[] p2 = new MvMemory.FinalWrites[parts];
            for (int p = 0; p < parts; p++) {
                List<StateWrite> w = new ArrayList<>(all.subList(p * all.size() / parts, (p + 1) * all.size() / parts));
                p1[p] = new MvMemory.FinalWrites(new ArrayList<>(w), -1, null);
                KeyOrder.sort(w);
                p2[p] = new MvMemory.FinalWrites(w, -1, null);
            }
            long t0 = System.nanoTime();
            List<StateWrite> c = new ArrayList<>();
            for (var p : p1) c.addAll(p.writes());
            KeyOrder.sort(c);
            long t1 = System.nanoTime();
            var m = WriteSetSorter.sortedFrom(p2);
            long t2 = System.nanoTime();
            long t3 = System.nanoTime();
            for (var p : p1) { List<StateWrite> w = new ArrayList<>(p.writes()); KeyOrder.sort(w); }
            long t4 = System.nanoTime();
            if (!m.writes().equals(c)) throw new IllegalStateException();
            if (rep % 10 == 9) System.out.printf("sort all %.2f ms, merge %.2f ms, chunk sorts %.2f ms%n", (t1-t0)/1e6, (t2-t1)/1e6, (t4-t3)/1e6);
        }
    }
}
