package io.bitquan.flow.model.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Subtree roots combined give {@link MerkleRoot}'s root for any item count and any chunking. */
class MerkleSubtreesProperties {

    @Property(tries = 300)
    void anyChunkingGivesTheReferenceRoot(@ForAll @IntRange(min = 1, max = 700) int n,
                                          @ForAll @Size(max = 12) List<@IntRange(min = 1, max = 300) Integer> cuts) {
        List<byte[]> items = items(n);
        List<int[]> ranges = new ArrayList<>();
        List<List<byte[]>> roots = new ArrayList<>();
        int first = 0;
        for (int cut : cuts) {
            if (first >= n) {
                break;
            }
            int count = Math.min(cut, n - first);
            ranges.add(new int[] {first, count});
            roots.add(MerkleSubtrees.roots(first, items.subList(first, first + count)));
            first += count;
        }
        if (first < n) {
            ranges.add(new int[] {first, n - first});
            roots.add(MerkleSubtrees.roots(first, items.subList(first, n)));
        }
        assertThat(MerkleSubtrees.combine(n, ranges, roots)).isEqualTo(MerkleRoot.of(items));
    }

    @Property(tries = 100)
    void fixedChunkSizesGiveTheReferenceRoot(@ForAll @IntRange(min = 1, max = 1100) int n,
                                             @ForAll @IntRange(min = 1, max = 200) int size) {
        List<byte[]> items = items(n);
        List<int[]> ranges = new ArrayList<>();
        List<List<byte[]>> roots = new ArrayList<>();
        for (int first = 0; first < n; first += size) {
            int count = Math.min(size, n - first);
            ranges.add(new int[] {first, count});
            roots.add(MerkleSubtrees.roots(first, items.subList(first, first + count)));
        }
        assertThat(MerkleSubtrees.combine(n, ranges, roots)).isEqualTo(MerkleRoot.of(items));
    }

    @Example
    void tilesAreAlignedPowersOfTwo() {
        assertThat(MerkleSubtrees.levels(0, 126)).containsExactly(6, 5, 4, 3, 2, 1);
        assertThat(MerkleSubtrees.levels(126, 126)).containsExactly(1, 6, 5, 4, 3, 2);
        assertThat(MerkleSubtrees.levels(128, 128)).containsExactly(7);
        assertThat(MerkleSubtrees.levels(5, 0)).isEmpty();
    }

    @Example
    void piecesThatDoNotTileGiveNoRootNeverAWrongOne() {
        List<byte[]> items = items(10);
        List<byte[]> first = MerkleSubtrees.roots(0, items.subList(0, 5));
        List<byte[]> second = MerkleSubtrees.roots(5, items.subList(5, 10));
        // a gap, an overlap, a short total, a tampered tile count
        assertThat(MerkleSubtrees.combine(10, List.of(new int[] {0, 5}, new int[] {6, 4}), List.of(first, second))).isNull();
        assertThat(MerkleSubtrees.combine(10, List.of(new int[] {0, 5}, new int[] {4, 6}), List.of(first, second))).isNull();
        assertThat(MerkleSubtrees.combine(11, List.of(new int[] {0, 5}, new int[] {5, 5}), List.of(first, second))).isNull();
        assertThat(MerkleSubtrees.combine(10, List.of(new int[] {0, 5}, new int[] {5, 5}), List.of(first, first))).isNull();
        assertThat(MerkleSubtrees.combine(10, List.of(new int[] {0, 5}, new int[] {5, 5}), List.of(first, second)))
                .isEqualTo(MerkleRoot.of(items));
    }

    @Example
    void aWrongTileRootGivesAnotherRoot() {
        List<byte[]> items = items(9);
        List<byte[]> first = new ArrayList<>(MerkleSubtrees.roots(0, items.subList(0, 4)));
        List<byte[]> second = MerkleSubtrees.roots(4, items.subList(4, 9));
        first.set(0, MerkleRoot.of(List.of(new byte[] {42})));
        assertThat(MerkleSubtrees.combine(9, List.of(new int[] {0, 4}, new int[] {4, 5}), List.of(first, second)))
                .isNotNull().isNotEqualTo(MerkleRoot.of(items));
    }

    private static List<byte[]> items(int n) {
        List<byte[]> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            items.add(new byte[] {(byte) i, (byte) (i >> 8), 7});
        }
        return items;
    }
}
