package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The chain's sequence lock (round 12): readers resolving while writers insert below the last
 * writer (an in-place shift), grow the arrays, remove and mark ESTIMATEs never see a torn state.
 * Every entry a writer stores carries its own transaction index as its incarnation, so a reader
 * that paired a slot's index with another slot's entry (a shift caught half way) would report a
 * version whose two halves differ. Writers own disjoint transactions (as the scheduler
 * guarantees: one writer per key and transaction); 1, 2, 3, 8 and 16 writers against 2 readers.
 * At the end the chain holds exactly what a sorted map of the same operations holds.
 */
class VersionChainConcurrencyTest {
    private static final int TXS = 600;

    @Test
    void readersNeverSeeATornChainAtAnyWriterCount() throws Exception {
        for (int writers : new int[] {1, 2, 3, 8, 16}) {
            for (int round = 0; round < 3; round++) {
                runOnce(writers, 1000L * writers + round);
            }
        }
    }

    private static void runOnce(int writers, long seed) throws Exception {
        VersionChain chain = new VersionChain(StateKey.account(new byte[32]));
        AtomicBoolean writing = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        @SuppressWarnings("unchecked")
        TreeMap<Integer, VersionChain.Kind>[] finals = new TreeMap[writers];
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int me = w;
            finals[w] = new TreeMap<>();
            threads.add(new Thread(() -> {
                Random random = new Random(seed * 31 + me);
                TreeMap<Integer, VersionChain.Kind> mine = finals[me];
                await(start);
                for (int op = 0; op < 3 * TXS / writers + 50; op++) {
                    // Descending-ish indices: most puts land below the last writer (shift in place).
                    int tx = me + writers * random.nextInt(TXS / writers);
                    switch (random.nextInt(6)) {
                        case 0 -> {
                            chain.remove(tx);
                            mine.remove(tx);
                        }
                        case 1 -> {
                            chain.markEstimate(tx);
                            mine.computeIfPresent(tx, (k, v) -> VersionChain.Kind.ESTIMATE);
                        }
                        default -> {
                            chain.put(tx, VersionChain.Entry.value(tx, null));
                            mine.put(tx, VersionChain.Kind.VALUE);
                        }
                    }
                }
            }));
        }
        for (int r = 0; r < 2; r++) {
            long readerSeed = seed * 17 + r;
            threads.add(new Thread(() -> {
                Random random = new Random(readerSeed);
                VersionChain.Resolved out = new VersionChain.Resolved();
                int[] found = new int[1];
                int lastStamp = -1;
                await(start);
                while (writing.get()) {
                    int reader = random.nextInt(TXS + 1);
                    int stamp = chain.resolve(reader, out);
                    if ((stamp & 1) != 0 || stamp < lastStamp) {
                        problems.add("stamp " + stamp + " after " + lastStamp);
                    }
                    lastStamp = stamp;
                    if (out.blockedOn >= 0) {
                        if (out.blockedOn >= reader) {
                            problems.add("ESTIMATE of " + out.blockedOn + " seen by " + reader);
                        }
                    } else if (out.version != VersionChain.STORAGE) {
                        int tx = (int) (out.version >>> 32);
                        int incarnation = (int) out.version;
                        if (tx >= reader || incarnation != tx) {
                            problems.add("reader " + reader + " saw tx " + tx + " with the entry of " + incarnation);
                        }
                    }
                    VersionChain.Entry e = chain.lower(reader, found);
                    if (e != null && (found[0] >= reader || e.incarnation() != found[0])) {
                        problems.add("lower(" + reader + ") gave tx " + found[0] + " with the entry of " + e.incarnation());
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (int w = 0; w < writers; w++) {
            threads.get(w).join();
        }
        writing.set(false);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(problems).as("writers %d, seed %d", writers, seed).isEmpty();

        TreeMap<Integer, VersionChain.Kind> expected = new TreeMap<>();
        for (TreeMap<Integer, VersionChain.Kind> m : finals) {
            expected.putAll(m);
        }
        TreeMap<Integer, VersionChain.Kind> actual = new TreeMap<>();
        chain.forEachLive((tx, entry) -> actual.put(tx, entry.kind()));
        assertThat(actual).as("writers %d, seed %d", writers, seed).isEqualTo(expected);
        assertThat(chain.stamp() & 1).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
