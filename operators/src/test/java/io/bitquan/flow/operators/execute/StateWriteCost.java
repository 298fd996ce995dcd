package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.operators.state.StateKeySerializer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.AbstractMap;
import java.util.Random;
import java.util.Set;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

/**
 * Not a test (no assertion, never run by surefire): the task thread's CPU per state write into
 * RocksDB keyed state, one {@code MapState.put} per key against one {@code putAll} per block
 * (Flink's write batch), blocks of the job's shape (1,000 writes: UTXO-sized keys and values),
 * alternated rep by rep, measured as thread CPU time.
 *
 * <pre>
 * mvn -B -q -o -pl operators -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp operators/target/test-classes:operators/target/classes:$(cat /tmp/cp.txt) io.bitquan.flow.operators.execute.StateWriteCost [reps]
 * </pre>
 */
public final class StateWriteCost {
    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Probe()), (Integer r) -> "chain", Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.setup();
        h.open();
        for (int r = 0; r < reps; r++) {
            h.processElement(new StreamRecord<>(r));
        }
        h.close();
    }

    static final class Probe extends KeyedProcessFunction<String, Integer, Void> {
        private static final int WRITES = 1000;
        private transient MapState<StateKey, byte[]> state;
        private final Random random = new Random(1);
        private final ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        private final long[] nanos = new long[2];
        private final int[] count = new int[2];

        @Override
        public void open(OpenContext context) {
            state = getRuntimeContext().getMapState(new MapStateDescriptor<>("s", StateKeySerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE));
        }

        @Override
        public void processElement(Integer rep, Context ctx, Collector<Void> out) throws Exception {
            StateKey[] keys = new StateKey[WRITES];
            byte[][] values = new byte[WRITES][];
            for (int i = 0; i < WRITES; i++) {
                byte[] tx = new byte[32];
                random.nextBytes(tx);
                keys[i] = StateKey.utxo(tx, i & 1);
                values[i] = new byte[49];
                random.nextBytes(values[i]);
            }
            java.util.Arrays.sort(keys);
            boolean batch = (rep & 1) == 1;
            long t0 = bean.getCurrentThreadCpuTime();
            if (batch) {
                state.putAll(new AbstractMap<StateKey, byte[]>() {
                    @Override
                    public int size() {
                        return WRITES;
                    }

                    @Override
                    public Set<Entry<StateKey, byte[]>> entrySet() {
                        Set<Entry<StateKey, byte[]>> set = new java.util.LinkedHashSet<>();
                        for (int i = 0; i < WRITES; i++) {
                            set.add(new SimpleImmutableEntry<>(keys[i], values[i]));
                        }
                        return set;
                    }
                });
            } else {
                for (int i = 0; i < WRITES; i++) {
                    state.put(keys[i], values[i]);
                }
            }
            long t1 = bean.getCurrentThreadCpuTime();
            if (rep >= 10) { // after warm-up
                nanos[batch ? 1 : 0] += t1 - t0;
                count[batch ? 1 : 0] += WRITES;
            }
            if (rep % 10 == 9 && count[0] > 0 && count[1] > 0) {
                System.out.printf("reps %d: put %.0f ns/write, putAll %.0f ns/write%n", rep + 1,
                        (double) nanos[0] / count[0], (double) nanos[1] / count[1]);
            }
        }
    }
}
