package io.bitquan.flow.operators.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.ChainCodec;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateWrite;
import io.bitquan.flow.model.state.StorageValue;
import io.bitquan.flow.model.state.UtxoEntry;
import io.bitquan.flow.operators.state.StateKeySerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commit's state write with the block's view (old values and their bytes from what the view
 * read, looked up by the merge walk over the predicted keys) gives exactly what the plain write
 * (every old value read from the store) gives: the same changes, the same state afterwards, value
 * bytes equal to each value's encoding, and the undo encoding built from them byte for byte
 * {@code ChainCodec.changes}. Random states, predictions (some keys never predicted, read by a
 * "worker" or not at all) and write sets, over real keyed state (heap and RocksDB).
 */
class KeyedStateStoreHarnessTest {

    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void writesWithTheViewEqualPlainWrites(String backend) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Compare()), (Long seed) -> "k" + seed,
                Types.STRING);
        h.setStateBackend(ExecutorCommitterHarnessTest.backend(backend));
        h.setup();
        h.open();
        for (long seed = 0; seed < 40; seed++) {
            h.processElement(new StreamRecord<>(seed));
        }
        assertThat(h.extractOutputValues()).hasSize(40).allMatch(n -> n > 0);
        h.close();
    }

    /** Per element (a seed, its own key): one random round on two stores, asserted inside; emits the changes compared. */
    static final class Compare extends KeyedProcessFunction<String, Long, Integer> {
        private transient KeyedStateStore viewed;
        private transient KeyedStateStore plain;

        @Override
        public void open(OpenContext context) {
            viewed = new KeyedStateStore(getRuntimeContext().getMapState(new MapStateDescriptor<>("viewed",
                    StateKeySerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE)));
            plain = new KeyedStateStore(getRuntimeContext().getMapState(new MapStateDescriptor<>("plain",
                    StateKeySerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE)));
        }

        @Override
        public void processElement(Long seed, Context ctx, Collector<Integer> out) throws Exception {
            Random r = new Random(seed);
            List<StateKey> keys = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                keys.add(key(r));
            }
            List<StateWrite> initial = new ArrayList<>();
            for (StateKey k : keys) {
                if (r.nextInt(3) > 0) {
                    initial.add(new StateWrite(k, value(k, r)));
                }
            }
            viewed.apply(initial);
            plain.apply(initial);

            List<StateKey> predicted = new ArrayList<>();
            for (StateKey k : keys) {
                if (r.nextInt(4) > 0) {
                    predicted.add(StateKey.decode(k.encoded())); // other instances than the write set's, as in the job
                }
            }
            // as a block's body hands it over (SortedKeys: sorted runs merged) or as any collection
            int cut = r.nextInt(predicted.size() + 1);
            List<List<StateKey>> runs = List.of(predicted.subList(0, cut), predicted.subList(cut, predicted.size()));
            int form = r.nextInt(3); // any collection; sorted runs; sorted runs read in their given (transaction) order
            GuardedStateView view = new GuardedStateView(viewed, form == 0 ? predicted
                    : SortedKeys.union(runs, form == 2 ? runs : null));
            for (StateKey k : keys) {
                if (r.nextInt(5) == 0) {
                    view.read(StateKey.decode(k.encoded())); // a worker's read, before or instead of the prefetch
                }
            }
            if (r.nextInt(4) > 0) {
                view.prefetch(); // else the commit finds only what the workers read (and fills the walk's prefixes itself)
            }

            TreeMap<StateKey, StateWrite> writes = new TreeMap<>();
            for (StateKey k : keys) {
                if (r.nextInt(2) == 0) {
                    writes.put(k, new StateWrite(StateKey.decode(k.encoded()), r.nextInt(4) == 0 ? null : value(k, r)));
                }
            }
            List<StateWrite> batch = new ArrayList<>(writes.values());
            if (r.nextInt(4) == 0 && !batch.isEmpty()) {
                batch.add(batch.get(r.nextInt(batch.size()))); // a key twice: the rest reads the store
            }
            AppliedWrites applied = viewed.apply(batch, view);
            List<StateChange> expected = plain.apply(batch);
            assertThat(applied.changes()).containsExactlyElementsOf(expected);
            for (int i = 0; i < expected.size(); i++) {
                StateChange c = applied.changes().get(i);
                assertThat(applied.oldEncoded()[i]).isEqualTo(c.oldValue() == null ? null : c.oldValue().encode());
                assertThat(applied.newEncoded()[i]).isEqualTo(c.newValue() == null ? null : c.newValue().encode());
            }
            for (StateKey k : keys) {
                assertThat(viewed.get(k)).isEqualTo(plain.get(k));
            }
            List<StateChange> effective = StateChange.effective(applied.changes());
            assertThat(applied.encode(effective).bytes()).isEqualTo(ChainCodec.changes(effective));
            // any subsequence (the undo record's effective changes): cut from the writes' encoding,
            // byte for byte the old encoder's, and its commitment slices the old split's
            List<StateChange> subset = new ArrayList<>();
            for (StateChange c : applied.changes()) {
                if (r.nextInt(3) > 0) {
                    subset.add(c);
                }
            }
            for (List<StateChange> part : List.of(applied.changes(), subset, effective)) {
                EncodedChanges encoded = applied.encode(part);
                byte[] reference = ChainCodec.changes(part);
                assertThat(encoded.bytes()).isEqualTo(reference);
                for (int buckets = 1; buckets <= 5; buckets++) {
                    assertThat(ChangeSlices.split(encoded, buckets)).isDeepEqualTo(ChangeSlices.split(part, reference, buckets));
                }
            }
            assertThat(applied.encode(StateChange.effective(expected))).isNull(); // other instances: not its batch
            out.collect(expected.size());
        }

        private static StateKey key(Random r) {
            byte[] a = new byte[32];
            r.nextBytes(a);
            a[0] = (byte) r.nextInt(3); // shared first bytes: ties beyond the 8-byte prefix
            return switch (r.nextInt(3)) {
                case 0 -> StateKey.account(a);
                case 1 -> StateKey.utxo(a, r.nextInt(4));
                default -> StateKey.storage(a, a.clone());
            };
        }

        private static StateValue value(StateKey k, Random r) {
            return switch (k.kind()) {
                case ACCOUNT -> new AccountState(r.nextInt(1000), r.nextInt(5));
                case UTXO -> new UtxoEntry(r.nextInt(1000), r.nextInt(9), r.nextBoolean(), new byte[32]);
                default -> {
                    byte[] b = new byte[r.nextInt(40)];
                    r.nextBytes(b);
                    yield new StorageValue(b);
                }
            };
        }
    }
}
