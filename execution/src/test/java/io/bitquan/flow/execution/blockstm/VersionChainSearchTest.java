package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A chain finds the right slot for every insertion order: appends, writers just below the last
 * one (the tail scan), and far below it (the binary search), against a sorted map.
 */
class VersionChainSearchTest {
    @Test
    void everyInsertionOrderKeepsTheChainSortedAndLowerExact() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(round < 100 ? 20 : 300);
            VersionChain chain = new VersionChain(StateKey.account(new byte[32]));
            TreeMap<Integer, Integer> reference = new TreeMap<>();
            for (int step = 0; step < n; step++) {
                int top = reference.isEmpty() ? 0 : reference.lastKey();
                int tx = switch (random.nextInt(3)) {
                    case 0 -> top + 1 + random.nextInt(3); // append
                    case 1 -> Math.max(0, top - random.nextInt(2 * VersionChain.TAIL_SCAN + 2)); // near the tail
                    default -> random.nextInt(top + 2); // anywhere
                };
                int incarnation = reference.getOrDefault(tx, -1) + 1;
                chain.put(tx, VersionChain.Entry.value(incarnation, null));
                reference.put(tx, incarnation);
                if (random.nextInt(8) == 0) {
                    int victim = random.nextInt(top + 2);
                    chain.remove(victim);
                    reference.remove(victim);
                }
            }
            int[] found = new int[1];
            int max = reference.isEmpty() ? 1 : reference.lastKey() + 2;
            for (int tx = 0; tx <= max; tx++) {
                Map.Entry<Integer, Integer> expected = reference.lowerEntry(tx);
                VersionChain.Entry e = chain.lower(tx, found);
                if (expected == null) {
                    assertThat(e).as("below %d", tx).isNull();
                } else {
                    assertThat(e).as("below %d", tx).isNotNull();
                    assertThat(found[0]).isEqualTo(expected.getKey());
                    assertThat(e.incarnation()).isEqualTo(expected.getValue());
                }
            }
        }
    }
}
