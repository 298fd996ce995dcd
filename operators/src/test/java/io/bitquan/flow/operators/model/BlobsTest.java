package io.bitquan.flow.operators.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** {@link Blobs#ranges} points at exactly the items {@link Blobs#unpack} copies, and rejects what it rejects. */
class BlobsTest {

    @Property(tries = 300)
    void rangesAreTheUnpackedItems(@ForAll @Size(max = 20) List<byte[]> items) {
        byte[] packed = Blobs.pack(items);
        int[] ranges = Blobs.ranges(packed);
        List<byte[]> unpacked = Blobs.unpack(packed);
        assertThat(ranges).hasSize(2 * unpacked.size());
        for (int i = 0; i < unpacked.size(); i++) {
            assertThat(Arrays.copyOfRange(packed, ranges[2 * i], ranges[2 * i] + ranges[2 * i + 1])).isEqualTo(unpacked.get(i));
        }
    }

    @Property(tries = 300)
    void truncatedOrTrailingBytesFailAsUnpackDoes(@ForAll @Size(min = 1, max = 10) List<byte[]> items,
                                                  @ForAll @IntRange(min = -40, max = 3) int change) {
        byte[] packed = Blobs.pack(items);
        byte[] bad = Arrays.copyOf(packed, Math.max(0, packed.length + (change == 0 ? 1 : change)));
        assertThatThrownBy(() -> Blobs.unpack(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Blobs.ranges(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 100)
    void absurdCountsFail(@ForAll int count) {
        byte[] packed = new byte[] {(byte) (count >>> 24), (byte) (count >>> 16), (byte) (count >>> 8), (byte) count};
        if (count == 0) {
            assertThat(Blobs.ranges(packed)).isEmpty();
        } else {
            assertThatThrownBy(() -> Blobs.ranges(packed)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
