package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WriteSetSorterTest {

    /** Collecting by last-writer slices gives exactly the snapshot, sorted, for every slicing. */
    @Test
    void collectEqualsTheSortedSnapshot() {
        Random rnd = new Random(9);
        int txs = 3000;
        MvMemory memory = new MvMemory(txs);
        List<StateKey> keys = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            byte[] id = new byte[32];
            rnd.nextBytes(id);
            keys.add(StateKey.account(id));
        }
        for (int tx = 0; tx < txs; tx++) {
            int n = 1 + rnd.nextInt(4);
            java.util.LinkedHashSet<StateKey> written = new java.util.LinkedHashSet<>();
            while (written.size() < n) {
                written.add(keys.get(rnd.nextInt(keys.size())));
            }
            StateKey[] k = written.toArray(new StateKey[0]);
            io.bitquan.flow.model.state.StateValue[] v = new io.bitquan.flow.model.state.StateValue[k.length];
            for (int i = 0; i < k.length; i++) {
                v[i] = rnd.nextInt(6) == 0 ? null : new AccountState(tx, i);
            }
            memory.record(new Version(tx, 0), new ReadDescriptor[0], k, v);
        }
        assertCollectsTheSnapshot(memory);
    }

    /**
     * Key-range cuts from a sample: a block that writes only two keys (the cuts coincide) and one
     * whose keys are written only by its last transactions (the sample sees few of them) still
     * give exactly the snapshot, at every worker count.
     */
    @Test
    void keyRangeCutsCoverEveryKeyOnce() {
        int txs = 5000;
        StateKey a = StateKey.account(new byte[32]);
        byte[] id = new byte[32];
        id[31] = 1;
        StateKey b = StateKey.account(id);
        MvMemory twoKeys = new MvMemory(txs);
        MvMemory lateKeys = new MvMemory(txs);
        Random rnd = new Random(3);
        for (int tx = 0; tx < txs; tx++) {
            StateKey k = tx % 2 == 0 ? a : b;
            twoKeys.record(new Version(tx, 0), new ReadDescriptor[0], new StateKey[] {k},
                    new io.bitquan.flow.model.state.StateValue[] {new AccountState(tx, 0)});
            if (tx >= txs - 40) {
                byte[] r = new byte[32];
                rnd.nextBytes(r);
                lateKeys.record(new Version(tx, 0), new ReadDescriptor[0], new StateKey[] {StateKey.account(r), a},
                        new io.bitquan.flow.model.state.StateValue[] {new AccountState(tx, 1), null});
            }
        }
        for (MvMemory memory : new MvMemory[] {twoKeys, lateKeys}) {
            assertCollectsTheSnapshot(memory);
        }
    }

    /** At 1, 2, 3 and 8 workers the collected write set is exactly the memory's snapshot. */
    private static void assertCollectsTheSnapshot(MvMemory memory) {
        List<StateWrite> expected = memory.snapshot();
        for (int threads : new int[] {1, 2, 3, 8}) {
            try (WorkerPool pool = new WorkerPool(threads)) {
                List<StateWrite> actual = WriteSetSorter.collect(memory, key -> null, pool, threads).writes();
                assertThat(actual).as("threads " + threads).hasSameSizeAs(expected);
                for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i).key()).isEqualTo(expected.get(i).key());
                    assertThat(actual.get(i).value()).isEqualTo(expected.get(i).value());
                }
            }
        }
    }
}
