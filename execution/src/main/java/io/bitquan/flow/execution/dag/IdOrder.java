package io.bitquan.flow.execution.dag;

import java.util.Arrays;

/**
 * Sorts key ids into their keys' order from the dense prefix array alone, visiting key objects
 * only to break ties: {@code engine.KeyOrder}'s method (the top 44 bits of each prefix above a
 * 20-bit position, one {@code long[]} sort, ties by the full key) applied to ids instead of
 * writes, so a write object is made only once its place is known and a key object is read only
 * when its prefix ties another's (UTXO outputs of one transaction).
 */
final class IdOrder {
    private static final int POSITION_BITS = 20;
    private static final long POSITION_MASK = (1L << POSITION_BITS) - 1;

    private IdOrder() {
    }

    /** Sorts {@code ids[0..count)} by key. */
    static void sort(int[] ids, int count, KeyIndex keys) {
        if (count > POSITION_MASK + 1) {
            byFullKey(ids, 0, count, keys); // beyond the position bits: a plain comparison sort
            return;
        }
        long[] packed = new long[count];
        for (int i = 0; i < count; i++) {
            packed[i] = (keys.flippedPrefix(ids[i]) & ~POSITION_MASK) | i;
        }
        Arrays.sort(packed);
        int[] sorted = new int[count];
        for (int i = 0; i < count; i++) {
            sorted[i] = ids[(int) (packed[i] & POSITION_MASK)];
        }
        for (int i = 0; i < count; ) {
            long top = packed[i] & ~POSITION_MASK;
            int j = i + 1;
            while (j < count && (packed[j] & ~POSITION_MASK) == top) {
                j++;
            }
            if (j - i > 1) {
                byFullKey(sorted, i, j, keys);
            }
            i = j;
        }
        System.arraycopy(sorted, 0, ids, 0, count);
    }

    /** Larger tie groups (one contract's storage slots share their prefix) go to a merge sort. */
    private static final int INSERTION_MAX = 16;

    /** Sorts a tie group by full key: usually a few keys (one transaction's outputs), by insertion. */
    private static void byFullKey(int[] ids, int from, int to, KeyIndex keys) {
        if (to - from > INSERTION_MAX) {
            Integer[] boxed = new Integer[to - from];
            for (int i = from; i < to; i++) {
                boxed[i - from] = ids[i];
            }
            Arrays.sort(boxed, (a, b) -> keys.key(a).compareTo(keys.key(b)));
            for (int i = from; i < to; i++) {
                ids[i] = boxed[i - from];
            }
            return;
        }
        for (int i = from + 1; i < to; i++) {
            int id = ids[i];
            int j = i - 1;
            while (j >= from && keys.key(ids[j]).compareTo(keys.key(id)) > 0) {
                ids[j + 1] = ids[j];
                j--;
            }
            ids[j + 1] = id;
        }
    }
}
