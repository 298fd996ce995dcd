package io.bitquan.flow.model.commit;

import io.bitquan.flow.model.crypto.Blake3;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MerkleRoot} computed in pieces: whoever holds a contiguous range of the items (a job's
 * preparer holds a chunk of a block's transactions) hashes the aligned subtrees that tile its
 * range, and whoever holds every range's subtree roots combines them into the root of all items
 * without touching an item (the job's executor: a few dozen node hashes per block instead of two
 * per transaction on its serial thread).
 *
 * <p>Why it is the same root: in {@link MerkleRoot}'s tree (an odd node carried up unchanged), the
 * node at level {@code j}, index {@code i} depends only on the items {@code [i*2^j, (i+1)*2^j)}
 * (cut at the item count), and for a full aligned range it is {@code MerkleRoot.of} of those items
 * alone. A range {@code [first, first+count)} is tiled greedily, left to right, by the largest
 * aligned power-of-two range that starts at the current position and fits ({@link #levels}); the
 * tiles of consecutive ranges tile {@code [0, n)}, and {@link #combine} rebuilds the nodes above
 * them, carrying an odd last node up as {@link MerkleRoot} does. Any chunking works; nothing about
 * the chunk boundaries has to be a power of two.
 */
public final class MerkleSubtrees {
    private static final byte[] NODE = {0x01};

    private MerkleSubtrees() {}

    /** The levels (log2 of the size) of the aligned tiles of {@code [first, first+count)}, left to right. */
    public static int[] levels(int first, int count) {
        if (first < 0 || count < 0) {
            throw new IllegalArgumentException("range [" + first + ", +" + count + ")");
        }
        int[] out = new int[64];
        int n = 0;
        long pos = first;
        long end = (long) first + count;
        while (pos < end) {
            int level = pos == 0 ? 62 : Long.numberOfTrailingZeros(pos);
            while ((1L << level) > end - pos) {
                level--;
            }
            if (n == out.length) {
                out = java.util.Arrays.copyOf(out, n * 2);
            }
            out[n++] = level;
            pos += 1L << level;
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /**
     * The roots of the tiles of {@code [first, first+items.size())} ({@link #levels}), each
     * {@code MerkleRoot.of} its items: what the holder of that range contributes.
     */
    public static List<byte[]> roots(int first, List<byte[]> items) {
        int[] levels = levels(first, items.size());
        List<byte[]> out = new ArrayList<>(levels.length);
        int offset = 0;
        for (int level : levels) {
            int size = 1 << level;
            out.add(MerkleRoot.of(items.subList(offset, offset + size)));
            offset += size;
        }
        return out;
    }

    /**
     * The root of {@code n} items from the tile roots of consecutive ranges that cover
     * {@code [0, n)}: {@code ranges[r] = {first, count}} and {@code roots.get(r)} that range's
     * {@link #roots}, in order. Returns {@code null} when the pieces do not tile {@code [0, n)}
     * exactly (the caller then hashes the items itself), never a wrong root.
     */
    public static byte[] combine(int n, List<int[]> ranges, List<List<byte[]>> roots) {
        if (n == 0) {
            return ranges.isEmpty() ? MerkleRoot.of(List.of()) : null;
        }
        if (ranges.size() != roots.size()) {
            return null;
        }
        List<Tile> tiles = new ArrayList<>();
        long expected = 0;
        for (int r = 0; r < ranges.size(); r++) {
            int first = ranges.get(r)[0];
            int count = ranges.get(r)[1];
            if (first != expected || count < 0) {
                return null;
            }
            int[] levels = levels(first, count);
            List<byte[]> rangeRoots = roots.get(r);
            if (rangeRoots == null || rangeRoots.size() != levels.length) {
                return null;
            }
            long pos = first;
            for (int t = 0; t < levels.length; t++) {
                byte[] root = rangeRoots.get(t);
                if (root == null || root.length != Blake3.HASH_BYTES) {
                    return null;
                }
                tiles.add(new Tile(pos, levels[t], root));
                pos += 1L << levels[t];
            }
            expected = pos;
        }
        if (expected != n) {
            return null;
        }
        int top = 0;
        while ((1L << top) < n) {
            top++;
        }
        Cursor cursor = new Cursor(tiles);
        byte[] root = node(top, 0, n, cursor);
        return root != null && cursor.next == tiles.size() ? root : null;
    }

    /** The node at {@code level}, {@code index} (its first item is at index * 2^level, which is where the next tile starts). */
    private static byte[] node(int level, long index, int n, Cursor cursor) {
        long start = index << level;
        if (cursor.next == cursor.tiles.size()) {
            return null;
        }
        Tile tile = cursor.tiles.get(cursor.next);
        if (tile.start != start || tile.level > level) {
            return null;
        }
        if (tile.level == level) {
            cursor.next++;
            return tile.root;
        }
        byte[] left = node(level - 1, 2 * index, n, cursor);
        if (left == null) {
            return null;
        }
        if (((2 * index + 1) << (level - 1)) >= n) {
            return left; // no right sibling: carried up unchanged, as MerkleRoot does
        }
        byte[] right = node(level - 1, 2 * index + 1, n, cursor);
        return right == null ? null : Blake3.hash(NODE, left, right);
    }

    private record Tile(long start, int level, byte[] root) {}

    private static final class Cursor {
        final List<Tile> tiles;
        int next;

        Cursor(List<Tile> tiles) {
            this.tiles = tiles;
        }
    }
}
