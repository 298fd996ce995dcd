package io.bitquan.flow.model.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link StateKey#compareTo} (word-wise past the prefix) is the unsigned lexicographic order of
 * the encodings, byte for byte what {@code Arrays.compareUnsigned} gives, including for keys that
 * share all but one byte at any offset (created outputs of one transaction share 33).
 */
class StateKeyOrderTest {

    @Provide
    Arbitrary<StateKey> keys() {
        Arbitrary<byte[]> b = Arbitraries.bytes().array(byte[].class).ofSize(32);
        return Arbitraries.oneOf(
                Combinators.combine(b, Arbitraries.integers()).as(StateKey::utxo),
                b.map(StateKey::account),
                b.map(StateKey::code),
                Combinators.combine(b, b).as(StateKey::storage));
    }

    private static int reference(StateKey a, StateKey b) {
        return Integer.signum(Arrays.compareUnsigned(a.encodedUnsafe(), b.encodedUnsafe()));
    }

    /** {@code key} with byte {@code at} (past the tag) set to {@code value}: a neighbour sharing every other byte. */
    private static StateKey neighbour(StateKey key, int at, byte value) {
        byte[] e = key.encoded();
        e[1 + Math.floorMod(at, e.length - 1)] = value;
        return StateKey.decode(e);
    }

    @Property(tries = 2000)
    void neighboursCompareAsTheirBytes(@ForAll("keys") StateKey key, @ForAll int at, @ForAll byte value) {
        StateKey other = neighbour(key, at, value);
        assertThat(Integer.signum(key.compareTo(other))).isEqualTo(reference(key, other));
        assertThat(Integer.signum(other.compareTo(key))).isEqualTo(reference(other, key));
        assertThat(key.compareTo(other) == 0).isEqualTo(key.equals(other));
    }

    @Property(tries = 500)
    void anyTwoKeysCompareAsTheirBytes(@ForAll("keys") StateKey a, @ForAll("keys") StateKey b) {
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(reference(a, b));
        assertThat(a.compareTo(StateKey.decode(a.encoded()))).isZero();
    }

    @Property(tries = 200)
    void sortsAsTheBytes(@ForAll("keys") StateKey base, @ForAll List<@net.jqwik.api.constraints.IntRange(min = 0, max = 64) Integer> at,
                         @ForAll List<Byte> values) {
        List<StateKey> keys = new ArrayList<>();
        keys.add(base);
        for (int i = 0; i < Math.min(at.size(), values.size()); i++) {
            keys.add(neighbour(base, at.get(i), values.get(i)));
        }
        List<StateKey> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        List<StateKey> byBytes = new ArrayList<>(keys);
        byBytes.sort((x, y) -> Arrays.compareUnsigned(x.encodedUnsafe(), y.encodedUnsafe()));
        assertThat(sorted).containsExactlyElementsOf(byBytes);
    }
}
