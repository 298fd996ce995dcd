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
}
