package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** MvMemory against a TreeMap-per-key baseline, alone and under concurrent writers and readers. */
class MvMemoryTest {
    static final int KEYS = 12;
    static final int TXS = 64;

    static StateKey key(int k) {
        byte[] a = new byte[32];
        a[31] = (byte) k;
        return StateKey.account(a);
    }

    /** The value (tx, incarnation) writes to a key: identifies the version, so reads can be checked. */
    static StateValue value(int tx, int incarnation, int k) {
        return new AccountState(tx * 1_000_000L + incarnation * 1_000L + k, tx);
    }

    @Test
    void readsSeeHighestLowerWriterEstimatesAndStorage() {
        MvMemory mv = new MvMemory(4);
        StateKey a = key(1);
        mv.record(new Version(0, 0), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {value(0, 0, 1)});
        mv.record(new Version(2, 0), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {null});

        assertThat(mv.read(a, 0).status()).isEqualTo(MvMemory.ReadStatus.NOT_FOUND);
        assertThat(mv.read(a, 1)).isEqualTo(new MvMemory.ReadResult(MvMemory.ReadStatus.OK, 0, 0, value(0, 0, 1)));
        assertThat(mv.read(a, 3)).isEqualTo(new MvMemory.ReadResult(MvMemory.ReadStatus.OK, 2, 0, null));

        mv.convertWritesToEstimates(2);
        assertThat(mv.read(a, 3).status()).isEqualTo(MvMemory.ReadStatus.READ_ERROR);
        assertThat(mv.read(a, 3).txIndex()).isEqualTo(2);
        assertThatThrownBy(mv::snapshot).isInstanceOf(InvariantViolation.class).hasMessageContaining("ESTIMATE");
    }

    /**
     * Reads logged by a worker's view carry the key's write stamp: an unchanged stamp passes
     * without a chain walk, any modification of the key (a write above the reader included)
     * moves it, and then the walk decides exactly as the version comparison does.
     */
    @Test
    void stampsSkipUnchangedKeysAndEveryModificationMovesThem() {
        MvMemory mv = new MvMemory(4);
        StateKey a = key(1);
        StateKey b = key(2);
        mv.record(new Version(0, 0), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {value(0, 0, 1)});
        VersionedView view = new VersionedView(mv, k -> null, false, true);
        view.reset(2);
        assertThat(view.read(a)).isEqualTo(value(0, 0, 1));
        assertThat(view.read(b)).isNull();
        view.recordInto(0);
        VersionChain chainA = mv.chain(a);
        int stamp = chainA.stamp();
        assertThat(mv.validateReadSet(2)).isTrue();

        // A write above the reader moves the stamp; the walk still finds the same version.
        mv.record(new Version(3, 0), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {value(3, 0, 1)});
        assertThat(chainA.stamp()).isGreaterThan(stamp);
        assertThat(mv.validateReadSet(2)).isTrue();

        // A credit below the reader on the key it read from storage: the walk sees the delta.
        mv.chain(b).put(1, new VersionChain.Entry(0, null, VersionChain.Kind.DELTA, 5));
        assertThat(mv.validateReadSet(2)).isFalse();
        mv.chain(b).remove(1);
        assertThat(mv.validateReadSet(2)).isTrue();

        // An ESTIMATE below the reader, then the same version again: fails, then passes.
        mv.convertWritesToEstimates(0);
        assertThat(mv.validateReadSet(2)).isFalse();
        mv.record(new Version(0, 0), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {value(0, 0, 1)});
        assertThat(mv.validateReadSet(2)).isTrue();
        mv.record(new Version(0, 1), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {value(0, 1, 1)});
        assertThat(mv.validateReadSet(2)).isFalse();
    }

    /**
     * A key read and then written by the same incarnation: its own write does not count as a
     * change (validation needs no walk), unless another transaction modified the key between
     * the read and the write, which validation must then see.
     */
    @Test
    void ownWriteKeepsTheStampButAnInterveningWriteDoesNot() {
        MvMemory mv = new MvMemory(4);
        StateKey a = key(1);
        VersionedView view = new VersionedView(mv, k -> null, false, true);
        view.reset(2);
        assertThat(view.read(a)).isNull();
        view.write(a, value(2, 0, 1));
        view.recordInto(0);
        VersionChain.Resolved scratch = new VersionChain.Resolved();
        assertThat(mv.validateReadSet(2, scratch)).isTrue();
        assertThat(scratch.walkedReads).isZero();

        view.reset(3);
        assertThat(view.read(a)).isEqualTo(value(2, 0, 1));
        mv.record(new Version(1, 0), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {value(1, 0, 1)});
        view.write(a, value(3, 0, 1));
        view.recordInto(0);
        assertThat(mv.validateReadSet(3, scratch)).isTrue(); // tx 2's write still hides tx 1's
        assertThat(scratch.walkedReads).isEqualTo(1);
        mv.convertWritesToEstimates(2);
        assertThat(mv.validateReadSet(3, scratch)).isFalse();
    }

    @Test
    void validationComparesVersionsAndNewLocationsAreReported() {
        MvMemory mv = new MvMemory(3);
        StateKey a = key(1);
        StateKey b = key(2);
        // A new location nobody above has read yet: no reader can have missed it.
        assertThat(mv.record(new Version(0, 0), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {value(0, 0, 1)})).isFalse();
        mv.record(new Version(2, 0), new ReadDescriptor[] {new ReadDescriptor(a, 0, 0), ReadDescriptor.storage(b)},
                new StateKey[0], new StateValue[0]);
        assertThat(mv.validateReadSet(2)).isTrue();

        // tx 0 re-executes: same location, new incarnation -> reader invalid, no new location.
        assertThat(mv.record(new Version(0, 1), new ReadDescriptor[0], new StateKey[] {a}, new StateValue[] {value(0, 1, 1)})).isFalse();
        assertThat(mv.validateReadSet(2)).isFalse();

        // tx 1 writes b, which tx 2 read from storage -> invalid; tx 1 wrote a new location.
        mv.record(new Version(2, 1), new ReadDescriptor[] {new ReadDescriptor(a, 0, 1), ReadDescriptor.storage(b)},
                new StateKey[0], new StateValue[0]);
        assertThat(mv.validateReadSet(2)).isTrue();
        assertThat(mv.record(new Version(1, 0), new ReadDescriptor[0], new StateKey[] {b}, new StateValue[] {value(1, 0, 2)})).isTrue();
        assertThat(mv.validateReadSet(2)).isFalse();

        // tx 1 re-executes without writing b: the stale write disappears, storage is visible again.
        mv.record(new Version(1, 1), new ReadDescriptor[0], new StateKey[0], new StateValue[0]);
        assertThat(mv.read(b, 2).status()).isEqualTo(MvMemory.ReadStatus.NOT_FOUND);
        assertThat(mv.validateReadSet(2)).isTrue();
        assertThat(mv.snapshot()).containsExactly(new StateWrite(a, value(0, 1, 1)));
    }

    /**
     * Four workers own disjoint transactions and record random write sets for several
     * incarnations (with estimates in between) while all of them read concurrently. Every
     * concurrent read must name a lower writer whose value matches the version it names; at the
     * end every (key, reader) read and the snapshot equal the TreeMap baseline of last records.
     */
    @Test
    void concurrentWorkersAgreeWithTreeMapBaseline() throws Exception {
        for (int round = 0; round < 20; round++) {
            runConcurrentRound(round);
        }
    }

    private void runConcurrentRound(long seed) throws Exception {
        int workers = 4;
        MvMemory mv = new MvMemory(TXS);
        // Baseline: key -> (tx -> last recorded value), built from what each worker finally recorded.
        Map<Integer, Map<Integer, StateKey[]>> finalWrites = new ConcurrentHashMap<>();
        Map<Integer, Integer> finalIncarnation = new ConcurrentHashMap<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread t = new Thread(() -> {
                Random rnd = new Random(seed * 31 + worker);
                try {
                    start.await();
                    for (int inc = 0; inc < 4; inc++) {
                        for (int tx = worker; tx < TXS; tx += workers) {
                            if (inc > 0) {
                                mv.convertWritesToEstimates(tx);
                            }
                            int n = rnd.nextInt(4);
                            List<StateKey> keys = new ArrayList<>();
                            while (keys.size() < n) {
                                StateKey k = key(rnd.nextInt(KEYS));
                                if (!keys.contains(k)) {
                                    keys.add(k);
                                }
                            }
                            StateKey[] ks = keys.toArray(new StateKey[0]);
                            StateValue[] vs = new StateValue[ks.length];
                            for (int i = 0; i < ks.length; i++) {
                                vs[i] = rnd.nextInt(5) == 0 ? null : value(tx, inc, ks[i].encodedUnsafe()[32]);
                            }
                            mv.record(new Version(tx, inc), new ReadDescriptor[0], ks, vs);
                            finalWrites.computeIfAbsent(tx, x -> new ConcurrentHashMap<>()).put(0, ks);
                            finalIncarnation.put(tx, inc);
                            checkConcurrentRead(mv, rnd);
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "mv-test-" + w);
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("worker failed", failure.get());
        }
        // Baseline from the last recorded incarnation of every tx: value is derivable, except deletes.
        Map<StateKey, TreeMap<Integer, StateValue[]>> baseline = new java.util.HashMap<>();
        for (int tx = 0; tx < TXS; tx++) {
            StateKey[] keys = mv.writtenKeys(tx);
            assertThat(keys).containsExactlyInAnyOrder(finalWrites.get(tx).get(0));
            for (StateKey k : keys) {
                MvMemory.ReadResult r = mv.read(k, tx + 1);
                assertThat(r.txIndex()).isEqualTo(tx);
                assertThat(r.incarnation()).isEqualTo(finalIncarnation.get(tx));
                baseline.computeIfAbsent(k, x -> new TreeMap<>()).put(tx, new StateValue[] {r.value()});
            }
        }
        for (int k = 0; k < KEYS; k++) {
            StateKey key = key(k);
            TreeMap<Integer, StateValue[]> versions = baseline.getOrDefault(key, new TreeMap<>());
            for (int reader = 0; reader < TXS; reader++) {
                Map.Entry<Integer, StateValue[]> expected = versions.lowerEntry(reader);
                MvMemory.ReadResult actual = mv.read(key, reader);
                if (expected == null) {
                    assertThat(actual.status()).isEqualTo(MvMemory.ReadStatus.NOT_FOUND);
                } else {
                    assertThat(actual.status()).isEqualTo(MvMemory.ReadStatus.OK);
                    assertThat(actual.txIndex()).isEqualTo(expected.getKey());
                    assertThat(actual.value()).isEqualTo(expected.getValue()[0]);
                }
            }
        }
        List<StateWrite> expectedSnapshot = new ArrayList<>();
        baseline.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> expectedSnapshot.add(new StateWrite(e.getKey(), e.getValue().lastEntry().getValue()[0])));
        assertThat(mv.snapshot()).containsExactlyElementsOf(expectedSnapshot);
    }

    /** A read racing with writers: whatever it returns must be internally consistent. */
    private static void checkConcurrentRead(MvMemory mv, Random rnd) {
        int k = rnd.nextInt(KEYS);
        int reader = rnd.nextInt(TXS);
        MvMemory.ReadResult r = mv.read(key(k), reader);
        if (r.status() == MvMemory.ReadStatus.NOT_FOUND) {
            return;
        }
        assertThat(r.txIndex()).isLessThan(reader);
        if (r.status() == MvMemory.ReadStatus.OK && r.value() != null) {
            assertThat(r.value()).isEqualTo(value(r.txIndex(), r.incarnation(), k));
        }
    }
}
