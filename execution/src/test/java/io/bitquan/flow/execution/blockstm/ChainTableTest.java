package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * ChainTable interns keys: one chain per distinct key, whichever thread asks first, in the table
 * or (past a full probe window) in its overflow map.
 */
class ChainTableTest {
    private static StateKey key(int i) {
        byte[] address = new byte[32];
        address[0] = (byte) (i >>> 24);
        address[1] = (byte) (i >>> 16);
        address[30] = (byte) (i >>> 8);
        address[31] = (byte) i;
        return StateKey.account(address);
    }

    @Test
    void equalKeysGetOneChainAndFindSeesIt() {
        ChainTable table = new ChainTable(100);
        VersionChain a = table.chain(key(1));
        assertThat(table.chain(key(1))).isSameAs(a); // an equal key object, not the same one
        assertThat(table.chain(key(2))).isNotSameAs(a);
        assertThat(table.find(key(1))).isSameAs(a);
        assertThat(table.find(key(3))).isNull();
        assertThat(a.key).isEqualTo(key(1));
        assertThat(a.hash).isEqualTo(key(1).hashCode());
    }

    @Test
    void keysBeyondTheTableOverflowAndStayInterned() {
        ChainTable table = new ChainTable(1); // 128 slots
        List<VersionChain> first = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            first.add(table.chain(key(i)));
        }
        assertThat(table.overflowSize()).isGreaterThan(0);
        for (int i = 0; i < 2_000; i++) {
            assertThat(table.chain(key(i))).isSameAs(first.get(i));
            assertThat(table.find(key(i))).isSameAs(first.get(i));
        }
        assertThat(table.find(key(2_000))).isNull();
    }

    @Test
    void concurrentFirstTouchesAgreeOnOneChainPerKey() throws Exception {
        for (int expected : new int[] {1, 10_000}) { // overflowing and roomy
            ChainTable table = new ChainTable(expected);
            int keys = 3_000;
            int threads = 4;
            AtomicReferenceArray<VersionChain>[] seen = new AtomicReferenceArray[threads];
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int me = t;
                seen[t] = new AtomicReferenceArray<>(keys);
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    // Each thread walks the keys in a different order, with fresh key objects.
                    for (int n = 0; n < keys; n++) {
                        int i = me % 2 == 0 ? n : keys - 1 - n;
                        seen[me].set(i, table.chain(key(i)));
                    }
                });
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join(60_000);
                assertThat(w.isAlive()).isFalse();
            }
            for (int i = 0; i < keys; i++) {
                VersionChain c = seen[0].get(i);
                assertThat(c.key).isEqualTo(key(i));
                for (int t = 1; t < threads; t++) {
                    assertThat(seen[t].get(i)).isSameAs(c);
                }
                assertThat(table.find(key(i))).isSameAs(c);
            }
        }
    }
}
