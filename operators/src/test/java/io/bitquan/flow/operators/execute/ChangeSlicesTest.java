package io.bitquan.flow.operators.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.ChainCodec;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StorageValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Slicing the block's encoding per bucket gives exactly what encoding each bucket's changes gives (the old path). */
class ChangeSlicesTest {
    @Provide
    Arbitrary<List<StateChange>> changes() {
        Arbitrary<byte[]> b32 = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<StateChange> account = Combinators.combine(b32, account(), account())
                .as((a, o, n) -> new StateChange(StateKey.account(a), o, n));
        Arbitrary<StateValue> storageValue = Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
                .map(b -> (StateValue) new StorageValue(b)).injectNull(0.3);
        Arbitrary<StateChange> storage = Combinators.combine(b32, b32, storageValue, storageValue)
                .as((c, s, o, n) -> new StateChange(StateKey.storage(c, s), o, n));
        return Arbitraries.oneOf(account, storage).list().ofMaxSize(60);
    }

    private static Arbitrary<StateValue> account() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((b, n) -> (StateValue) new AccountState(b, n))
                .injectNull(0.3);
    }

    @Property(tries = 300)
    void slicesEqualPerBucketEncodings(@ForAll("changes") List<StateChange> changes, @ForAll @IntRange(min = 1, max = 9) int buckets) {
        byte[][] sliced = ChangeSlices.split(changes, ChainCodec.changes(changes), buckets);
        for (int b = 0; b < buckets; b++) {
            List<StateChange> mine = new ArrayList<>();
            for (StateChange c : changes) {
                if (Math.floorMod(Arrays.hashCode(c.key().encodedUnsafe()), buckets) == b) {
                    mine.add(c);
                }
            }
            if (mine.isEmpty()) {
                assertThat(sliced[b]).isNull();
            } else {
                assertThat(sliced[b]).isEqualTo(ChainCodec.changes(mine));
            }
        }
    }
}
