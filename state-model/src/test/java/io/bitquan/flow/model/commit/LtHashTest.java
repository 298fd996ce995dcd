package io.bitquan.flow.model.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class LtHashTest {

    private static StateKey key(int i) {
        byte[] address = new byte[32];
        address[0] = (byte) i;
        address[1] = (byte) (i >>> 8);
        return StateKey.account(address);
    }

    @Property
    void orderDoesNotMatterAndRemoveUndoesAdd(@ForAll @IntRange(min = 1, max = 40) int n, @ForAll long shuffleSeed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        LtHash forward = new LtHash();
        for (int i : order) {
            forward.add(key(i), new AccountState(i, i));
        }
        Collections.shuffle(order, new Random(shuffleSeed));
        LtHash shuffled = new LtHash();
        for (int i : order) {
            shuffled.add(key(i), new AccountState(i, i));
        }
        assertThat(shuffled.root()).isEqualTo(forward.root());
        for (int i : order) {
            shuffled.remove(key(i), new AccountState(i, i));
        }
        assertThat(shuffled).isEqualTo(new LtHash());
    }

    @Property
    void partitionDeltasSumToTheWhole(@ForAll @IntRange(min = 2, max = 30) int n) {
        LtHash whole = new LtHash();
        LtHash even = new LtHash();
        LtHash odd = new LtHash();
        for (int i = 0; i < n; i++) {
            StateChange change = new StateChange(key(i), i % 3 == 0 ? null : new AccountState(i, 0), new AccountState(i + 1, 1));
            whole.apply(change);
            (i % 2 == 0 ? even : odd).apply(change);
        }
        assertThat(new LtHash().add(even).add(odd).root()).isEqualTo(whole.root());
        assertThat(whole.copy().subtract(odd)).isEqualTo(even);
    }

    @Property
    void bytesRoundTrip(@ForAll @IntRange(min = 0, max = 10) int n) {
        LtHash h = new LtHash();
        for (int i = 0; i < n; i++) {
            h.add(key(i), new AccountState(i, 0));
        }
        assertThat(LtHash.fromBytes(h.toBytes())).isEqualTo(h);
        assertThat(h.toBytes()).hasSize(LtHash.BYTES);
    }

    @org.junit.jupiter.api.Test
    void distinctStatesHaveDistinctRoots() {
        LtHash a = new LtHash().add(key(1), new AccountState(5, 0));
        LtHash b = new LtHash().add(key(1), new AccountState(6, 0));
        assertThat(a.root()).isNotEqualTo(b.root());
        assertThat(a.root()).isNotEqualTo(new LtHash().root());
    }
}
