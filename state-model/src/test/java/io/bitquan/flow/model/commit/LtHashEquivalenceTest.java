package io.bitquan.flow.model.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.ContractCode;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StorageValue;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The tuned LtHash (streaming XOF blocks into packed lanes) against the first implementation,
 * {@link LtHashReference}: same element hashes, same lattices, same roots for random entries whose
 * element encodings sit on and around the 64-byte block and 1024-byte chunk boundaries.
 */
class LtHashEquivalenceTest {

    /** Element lengths (8 + key + value bytes) on, just under and just over the block and chunk edges. */
    @Provide
    Arbitrary<Integer> elementLengths() {
        Arbitrary<Integer> edges = Arbitraries.of(64, 128, 192, 960, 1024, 1088, 2048)
                .flatMap(edge -> Arbitraries.integers().between(edge - 3, edge + 3));
        return Arbitraries.oneOf(edges, Arbitraries.integers().between(0, 2200));
    }

    private static StateKey randomKey(Random random) {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        random.nextBytes(a);
        random.nextBytes(b);
        return switch (random.nextInt(3)) {
            case 0 -> StateKey.account(a);
            case 1 -> StateKey.utxo(a, random.nextInt());
            default -> StateKey.storage(a, b);
        };
    }

    /** A value that makes the element {@code elementLength} bytes long (or as close as the key allows). */
    private static StateValue value(Random random, StateKey key, int elementLength) {
        byte[] data = new byte[Math.max(0, elementLength - 8 - key.encodedUnsafe().length)];
        random.nextBytes(data);
        return random.nextBoolean() ? new StorageValue(data) : new ContractCode(data);
    }

    @Property(tries = 300)
    void elementHashEqualsTheReference(@ForAll("elementLengths") int elementLength, @ForAll long seed) {
        Random random = new Random(seed);
        StateKey key = randomKey(random);
        StateValue value = value(random, key, elementLength);
        assertThat(LtHash.elementHash(key, value)).isEqualTo(LtHashReference.elementHash(key, value));
        // One element added: the lattice is the element hash itself.
        assertThat(new LtHash().add(key, value).toBytes()).isEqualTo(LtHashReference.elementHash(key, value));
    }

    @Property(tries = 50)
    void latticeEqualsTheReference(@ForAll @Size(min = 1, max = 12) List<@IntRange(min = 0, max = 2200) Integer> lengths,
                                   @ForAll("elementLengths") int edgeLength, @ForAll long seed) {
        Random random = new Random(seed);
        LtHash tuned = new LtHash();
        LtHashReference reference = new LtHashReference();
        int i = 0;
        for (int length : lengths) {
            StateKey key = randomKey(random);
            StateValue value = value(random, key, i++ % 2 == 0 ? length : edgeLength);
            // Removes before adds too: lanes must wrap below zero the same way.
            if (random.nextBoolean()) {
                tuned.remove(key, value);
                reference.remove(key, value);
            } else {
                tuned.add(key, value);
                reference.add(key, value);
            }
            assertThat(tuned.toBytes()).isEqualTo(reference.toBytes());
        }
        assertThat(tuned.root()).isEqualTo(LtHash.fromBytes(reference.toBytes()).root());
    }

    @Property(tries = 100)
    void packedLaneSumsWrapPerLane(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] a = new byte[LtHash.BYTES];
        byte[] b = new byte[LtHash.BYTES];
        random.nextBytes(a);
        random.nextBytes(b);
        // Lanes at the wrap edges too: 0x0000, 0x7FFF, 0x8000, 0xFFFF.
        for (int lane = 0; lane < 64; lane++) {
            setLane(a, random.nextInt(LtHash.LANES), new int[] {0, 0x7FFF, 0x8000, 0xFFFF}[lane % 4]);
            setLane(b, random.nextInt(LtHash.LANES), new int[] {0, 0x7FFF, 0x8000, 0xFFFF}[(lane / 4) % 4]);
        }
        byte[] sum = new byte[LtHash.BYTES];
        byte[] difference = new byte[LtHash.BYTES];
        for (int lane = 0; lane < LtHash.LANES; lane++) {
            setLane(sum, lane, lane(a, lane) + lane(b, lane));
            setLane(difference, lane, lane(a, lane) - lane(b, lane));
        }
        assertThat(LtHash.fromBytes(a).add(LtHash.fromBytes(b)).toBytes()).isEqualTo(sum);
        assertThat(LtHash.fromBytes(a).subtract(LtHash.fromBytes(b)).toBytes()).isEqualTo(difference);
    }

    /** Stores the low 16 bits little-endian: the u16 wrap, computed independently of LtHash. */
    private static void setLane(byte[] lattice, int lane, int value) {
        lattice[2 * lane] = (byte) value;
        lattice[2 * lane + 1] = (byte) (value >>> 8);
    }

    private static int lane(byte[] lattice, int lane) {
        return (lattice[2 * lane] & 0xFF) | (lattice[2 * lane + 1] & 0xFF) << 8;
    }
}
