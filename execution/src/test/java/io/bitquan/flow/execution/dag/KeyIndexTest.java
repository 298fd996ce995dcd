package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-block key table under keys a block aimed at one hash: ids stay dense, stable and one
 * per key, and the probing stays bounded (the colliding keys past the cap live in the overflow
 * tree, which the lookup asks).
 */
class KeyIndexTest {

    /** Account keys whose addresses are {@code pairs} pairs each "Aa" or "BB" (equal 31-hash), then zeros: one hash for all. */
    private static List<StateKey> oneHash(int count) {
        List<StateKey> keys = new ArrayList<>();
        for (int bits = 0; bits < count; bits++) {
            byte[] address = new byte[StateKey.ADDRESS_BYTES];
            for (int pair = 0; pair < 14; pair++) {
                boolean aa = (bits >> pair & 1) == 0;
                address[2 * pair] = (byte) (aa ? 'A' : 'B');
                address[2 * pair + 1] = (byte) (aa ? 'a' : 'B');
            }
            keys.add(StateKey.account(address));
        }
        return keys;
    }

    private static List<StateKey> random(int count, long seed) {
        Random random = new Random(seed);
        List<StateKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] address = new byte[StateKey.ADDRESS_BYTES];
            random.nextBytes(address);
            keys.add(StateKey.account(address));
        }
        return keys;
    }

    /** Interns every key twice (the second pass after the table grew) and checks ids are dense, stable and one per key. */
    private static KeyIndex internTwice(List<StateKey> keys) {
        KeyIndex index = new KeyIndex(16);
        for (int i = 0; i < keys.size(); i++) {
            assertThat(index.intern(keys.get(i))).isEqualTo(i);
        }
        for (int i = keys.size() - 1; i >= 0; i--) {
            assertThat(index.intern(keys.get(i))).isEqualTo(i);
            assertThat(index.key(i)).isEqualTo(keys.get(i));
        }
        assertThat(index.size()).isEqualTo(keys.size());
        return index;
    }

    @Test
    void keysWithOneHashKeepDenseStableIdsAndOverflowPastTheCap() {
        List<StateKey> keys = oneHash(10_000);
        assertThat(keys.stream().map(StateKey::hashCode).distinct().count()).isEqualTo(1);
        KeyIndex index = internTwice(keys);
        // at most MAX_PROBES of them fit on one home slot's probe path: the rest are in the tree
        assertThat(index.overflowSize()).isGreaterThanOrEqualTo(keys.size() - KeyIndex.MAX_PROBES);
    }

    @Test
    void ordinaryKeysNeverOverflow() {
        KeyIndex index = internTwice(random(50_000, 7));
        assertThat(index.overflowSize()).isZero();
    }

    @Test
    void aFloodMixedWithOrdinaryKeysKeepsEveryId() {
        List<StateKey> keys = new ArrayList<>();
        List<StateKey> flood = oneHash(3_000);
        List<StateKey> plain = random(3_000, 11);
        for (int i = 0; i < 3_000; i++) {
            keys.add(plain.get(i));
            keys.add(flood.get(i));
        }
        internTwice(keys);
    }
}
