// Probe (not a test): KeyOrder.sort on a token-shaped write set, 30,000 writes (20,000 storage slots of one
// contract, which all tie on their 8-byte prefix, + 10,000 accounts). Medians of the last 100 of 200 sorts.
//   mvn -B -q -o -DskipTests package; SM=state-model/target/classes; EX=execution/target/classes
//   javac -cp $EX:$SM -d /tmp/probe docs/probes/KeyOrderProbe.java && java -Xms2g -Xmx2g -cp /tmp/probe:$EX:$SM KeyOrderProbe
// Put another build's execution classes first on -cp to compare builds.
import io.bitquan.flow.execution.engine.KeyOrder;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateWrite;
import java.util.*;

public class KeyOrderProbe {
    public static void main(String[] a) {
        Random r = new Random(1);
        byte[] contract = new byte[32]; r.nextBytes(contract);
        List<StateWrite> base = new ArrayList<>();
        for (int i = 0; i < 20000; i++) { byte[] slot = new byte[32]; r.nextBytes(slot); base.add(new StateWrite(StateKey.storage(contract, slot), null)); }
        for (int i = 0; i < 10000; i++) { byte[] ad = new byte[32]; r.nextBytes(ad); base.add(new StateWrite(StateKey.account(ad), null)); }
        StateWrite[] src = base.toArray(new StateWrite[0]);
        long[] t = new long[200];
        for (int rep = 0; rep < 200; rep++) {
            StateWrite[] w = src.clone();
            Collections.shuffle(Arrays.asList(w), new Random(rep));
            long s = System.nanoTime();
            KeyOrder.sort(w, 0, w.length);
            t[rep] = System.nanoTime() - s;
        }
        long[] last = Arrays.copyOfRange(t, 100, 200); Arrays.sort(last);
        System.out.printf("median %.2f ms (30,000 writes: 20,000 slots of one contract + 10,000 accounts)%n", last[50] / 1e6);
    }
}
