package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Ids sorted from the key index's prefixes give exactly the keys' order, ties (small and large groups) included. */
class IdOrderTest {

    private static byte[] random(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void idsSortIntoTheKeysOrder() {
        for (int seed = 0; seed < 20; seed++) {
            Random rnd = new Random(seed);
            List<StateKey> keys = new ArrayList<>();
            for (int t = 0; t < 300; t++) {
                byte[] txId = random(rnd, 32);
                for (int out = 0, outs = 1 + rnd.nextInt(4); out < outs; out++) {
                    keys.add(StateKey.utxo(txId, rnd.nextInt(1 << 20))); // one transaction's outputs tie on the prefix
                }
                keys.add(StateKey.account(random(rnd, 32)));
            }
            byte[] contract = random(rnd, 32);
            for (int slot = 0; slot < 50 + seed * 10; slot++) {
                keys.add(StateKey.storage(contract, random(rnd, 32))); // one large tie group
            }
            List<StateKey> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(keys));
            Collections.shuffle(distinct, rnd);
            KeyIndex index = new KeyIndex(distinct.size());
            int[] ids = new int[distinct.size()];
            for (int i = 0; i < distinct.size(); i++) {
                ids[i] = index.intern(distinct.get(i));
            }
            IdOrder.sort(ids, ids.length, index);
            List<StateKey> expected = new ArrayList<>(distinct);
            Collections.sort(expected);
            List<StateKey> actual = new ArrayList<>();
            for (int id : ids) {
                actual.add(index.key(id));
            }
            assertThat(actual).as("seed " + seed).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void keysKnownToFollowSortWithoutReadingAndStillInTheKeysOrder() {
        for (int seed = 0; seed < 20; seed++) {
            Random rnd = new Random(100 + seed);
            KeyIndex index = new KeyIndex(16);
            List<StateKey> all = new ArrayList<>();
            for (int t = 0; t < 300; t++) {
                byte[] txId = random(rnd, 32);
                if (t % 3 == 0) {
                    txId[0] = 0; // a third of the transactions share their first bytes: one large tie group across transactions
                    txId[1] = 0;
                    txId[2] = 0;
                    txId[3] = 0;
                    txId[4] = 0;
                    txId[5] = 0;
                }
                all.add(StateKey.account(random(rnd, 32)));
                index.intern(all.get(all.size() - 1));
                for (int out = 0, outs = 1 + rnd.nextInt(4); out < outs; out++) {
                    StateKey key = StateKey.utxo(txId, out);
                    all.add(key);
                    int id = index.intern(key);
                    if (out > 0) {
                        index.follows(id); // as the linker records a prediction's ascending outputs
                    }
                }
            }
            int[] ids = new int[all.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = i;
            }
            // shuffled: tie groups arrive in any order, the hint compares only neighbours' ids
            for (int i = ids.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int swap = ids[i];
                ids[i] = ids[j];
                ids[j] = swap;
            }
            IdOrder.sort(ids, ids.length, index);
            List<StateKey> expected = new ArrayList<>(all);
            Collections.sort(expected);
            List<StateKey> actual = new ArrayList<>();
            for (int id : ids) {
                actual.add(index.key(id));
            }
            assertThat(actual).as("seed %d", seed).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void theRadixPassesOrderPackedValuesAsTheComparisonSort() {
        for (int seed = 0; seed < 30; seed++) {
            Random rnd = new Random(200 + seed);
            int n = 1 + rnd.nextInt(5_000);
            long[] packed = new long[n];
            for (int i = 0; i < n; i++) {
                // key bits of either sign, often equal in their top or bottom digits; the position below them unique
                long key = switch (rnd.nextInt(3)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> rnd.nextLong() & 0xFFF0_0000_0000_0000L;
                    default -> rnd.nextInt(4) * 0x0000_0000_1000_0000L - 0x0000_0000_2000_0000L;
                };
                packed[i] = (key & ~((1L << 20) - 1)) | i;
            }
            long[] expected = packed.clone();
            java.util.Arrays.sort(expected);
            assertThat(IdOrder.radixSort(packed.clone())).as("seed %d", seed).containsExactly(expected);
        }
    }
}
