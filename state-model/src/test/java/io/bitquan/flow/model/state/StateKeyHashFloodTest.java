package io.bitquan.flow.model.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@link StateKey#hashCode} is public on purpose (Java's 31-polynomial over the key bytes: the same
 * in every JVM, since commitment buckets are routed by it), so a block can choose thousands of keys
 * with one hash: recipient addresses and storage slots are bytes the sender picks. In
 * {@code HashMap} / {@code ConcurrentHashMap} such a flood is bounded only because a crowded bin
 * becomes a red-black tree ordered by {@code compareTo}, and the JDK does that only for a class
 * {@code C} that directly implements {@code Comparable<C>} (HashMap.comparableClassFor) and whose
 * order tells different keys apart. This test pins both conditions, so a change that loses them
 * fails here instead of turning a flood into O(n) scans per lookup. (Open-addressing tables over
 * the same hash outside this module are not covered by tree bins: see docs/PERFORMANCE.md, round 13.)
 */
class StateKeyHashFloodTest {
    private static final int KEYS = 4096;

    /** Account keys whose addresses are twelve pairs each "Aa" or "BB" (equal 31-hash) then zeros: one hash for all. */
    private static List<StateKey> flood() {
        List<StateKey> keys = new ArrayList<>();
        for (int bits = 0; bits < KEYS; bits++) {
            byte[] address = new byte[StateKey.ADDRESS_BYTES];
            for (int pair = 0; pair < 12; pair++) {
                boolean aa = (bits >> pair & 1) == 0;
                address[2 * pair] = (byte) (aa ? 'A' : 'B');
                address[2 * pair + 1] = (byte) (aa ? 'a' : 'B');
            }
            keys.add(StateKey.account(address));
        }
        return keys;
    }

    @Test
    void aBlockCanChooseKeysWithOneHash() {
        List<StateKey> keys = flood();
        assertThat(keys.stream().map(StateKey::hashCode).distinct().count()).isEqualTo(1);
        assertThat(keys.stream().distinct().count()).isEqualTo(KEYS);
    }

    @Test
    void hashMapsCanTreeifyAFloodOfStateKeys() {
        // HashMap.comparableClassFor: the key's class must declare Comparable<itself> directly
        boolean comparableToItself = false;
        for (Type t : StateKey.class.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == Comparable.class
                    && Arrays.equals(p.getActualTypeArguments(), new Type[] {StateKey.class})) {
                comparableToItself = true;
            }
        }
        assertThat(comparableToItself).as("StateKey implements Comparable<StateKey>").isTrue();
        assertThat(Modifier.isFinal(StateKey.class.getModifiers())).as("no subclass can weaken compareTo").isTrue();
        // the tree bin orders colliding keys by compareTo: it must separate every two different keys
        List<StateKey> keys = flood();
        List<StateKey> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i - 1).compareTo(sorted.get(i))).isNegative();
        }
    }

    @Test
    void aFloodStillMapsEveryKeyToItsOwnValue() {
        List<StateKey> keys = flood();
        Map<StateKey, Integer> plain = new HashMap<>();
        Map<StateKey, Integer> concurrent = new ConcurrentHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            plain.put(keys.get(i), i);
            concurrent.put(keys.get(i), i);
        }
        for (int i = 0; i < keys.size(); i++) {
            // a fresh, equal key (its own hash not yet cached) finds the entry
            StateKey copy = StateKey.decode(keys.get(i).encodedUnsafe());
            assertThat(plain.get(copy)).isEqualTo(i);
            assertThat(concurrent.get(copy)).isEqualTo(i);
        }
        for (int i = 0; i < keys.size(); i += 2) {
            plain.remove(keys.get(i));
        }
        assertThat(plain).hasSize(KEYS / 2).containsKey(keys.get(1)).doesNotContainKey(keys.get(0));
    }
}
