package io.bitquan.flow.execution.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.crypto.Blake3;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The executor's key-hash cache hands the hash of exactly the bytes asked for: equal bytes hit,
 * bytes that share a cell but differ anywhere are hashed (never handed another key's hash), at any
 * number of threads; and the engine with the cache in front of its views gives the sequential
 * engine's results at 1, 2, 3, 8 and 16 threads with the contention fallback off, block after block.
 */
class KeyHashCacheTest {
    private static final int ML_DSA_KEY = 1952;

    private static byte[] key(Random random, int length) {
        byte[] k = new byte[length];
        random.nextBytes(k);
        return k;
    }

    /** BLAKE3, counting its calls. */
    private static final class CountingHash implements Function<byte[], byte[]> {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public byte[] apply(byte[] key) {
            calls.incrementAndGet();
            return Blake3.hash(key);
        }
    }

    private static Function<byte[], byte[]> unused() {
        return k -> {
            throw new AssertionError("the cache's own hasher is set: the view's is not asked");
        };
    }

    @Test
    void equalBytesHitAndBytesThatShareACellButDifferAreHashed() {
        CountingHash blake3 = new CountingHash();
        KeyHashCache cache = new KeyHashCache(blake3);
        Random random = new Random(18);
        byte[] k1 = key(random, ML_DSA_KEY);
        byte[] sameBytes = k1.clone();
        byte[] lastByteOther = k1.clone();
        lastByteOther[ML_DSA_KEY - 1] ^= 1;
        assertThat(KeyHashCache.cell(lastByteOther)).isEqualTo(KeyHashCache.cell(k1)); // same first 8 bytes, same length

        assertThat(cache.hash(k1, unused())).isEqualTo(Blake3.hash(k1));
        assertThat(cache.hash(sameBytes, unused())).isEqualTo(Blake3.hash(k1));
        assertThat(blake3.calls).hasValue(1);

        assertThat(cache.hash(lastByteOther, unused())).isEqualTo(Blake3.hash(lastByteOther)).isNotEqualTo(Blake3.hash(k1));
        assertThat(cache.hash(k1, unused())).isEqualTo(Blake3.hash(k1)); // the cell was overwritten: hashed again
        assertThat(blake3.calls).hasValue(3);

        // a caller that changes its array afterwards does not change what is held
        byte[] mutable = key(random, ML_DSA_KEY);
        byte[] expected = Blake3.hash(mutable);
        cache.hash(mutable, unused());
        byte[] original = mutable.clone();
        mutable[100] ^= 1;
        assertThat(cache.hash(mutable, unused())).isEqualTo(Blake3.hash(mutable));
        assertThat(cache.hash(original, unused())).isEqualTo(expected);
    }

    @Test
    void shortAndEmptyKeysAndOtherLengthsWithTheSamePrefix() {
        KeyHashCache cache = new KeyHashCache(new CountingHash());
        Random random = new Random(7);
        byte[] long1 = key(random, 64);
        byte[] prefix = Arrays.copyOf(long1, 32); // same first 8 bytes, other length
        for (byte[] k : List.of(new byte[0], new byte[] {1, 2, 3}, long1, prefix, key(random, 32), new byte[0], long1, prefix)) {
            assertThat(cache.hash(k, unused())).as("%d bytes", k.length).isEqualTo(Blake3.hash(k));
        }
    }

    @Test
    void withoutItsOwnHasherAMissAsksTheViewAndHoldsItsAnswer() {
        KeyHashCache cache = new KeyHashCache();
        CountingHash view = new CountingHash();
        byte[] k = key(new Random(3), ML_DSA_KEY);
        assertThat(cache.hash(k, view)).isEqualTo(Blake3.hash(k));
        assertThat(cache.hash(k.clone(), view)).isEqualTo(Blake3.hash(k));
        assertThat(view.calls).hasValue(1);
    }

    @Test
    void threadsSharingTheCacheGetEachKeysOwnHash() throws Exception {
        Random random = new Random(11);
        // 48 keys in 6 cells: groups of 8 share their first 8 bytes (and so a cell) and differ after them
        List<byte[]> keys = new ArrayList<>();
        for (int group = 0; group < 6; group++) {
            byte[] base = key(random, ML_DSA_KEY);
            for (int i = 0; i < 8; i++) {
                byte[] k = base.clone();
                k[8 + i * 100] ^= (byte) (i + 1);
                keys.add(k);
            }
        }
        List<byte[]> expected = keys.stream().map(Blake3::hash).toList();
        for (int threads : new int[] {1, 2, 3, 8, 16}) {
            KeyHashCache cache = new KeyHashCache(new CountingHash());
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int seed = t;
                    done.add(pool.submit(() -> {
                        Random order = new Random(seed);
                        for (int n = 0; n < 3_000; n++) {
                            int i = order.nextInt(keys.size());
                            byte[] asked = keys.get(i).clone();
                            assertThat(cache.hash(asked, unused())).as("key %d at %d threads", i, threads).isEqualTo(expected.get(i));
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void engineWithTheCacheGivesTheSequentialResultsAtEveryThreadCountFallbackOff() {
        List<BlockFixtures> blocks = List.of(
                BlockFixtures.firstBlock(GeneratorOptions.of(41, 1, 400, Workload.TRANSFER).withAccounts(5_000)),
                BlockFixtures.firstBlock(GeneratorOptions.of(42, 1, 400, Workload.TRANSFER).withAccounts(2)),
                BlockFixtures.firstBlock(GeneratorOptions.of(43, 1, 400, Workload.UTXO)),
                BlockFixtures.firstBlock(GeneratorOptions.of(44, 1, 400, Workload.UTXO_CHAINED)),
                BlockFixtures.firstBlock(GeneratorOptions.of(45, 1, 400, Workload.MIXED)));
        for (BlockFixtures b : blocks) {
            BlockOutput expected = new SequentialEngine(new ChainVm()).execute(b.context(), b.txs(), b.base());
            for (int threads : new int[] {1, 2, 3, 8, 16}) {
                CountingHash blake3 = new CountingHash();
                KeyHashCache cache = new KeyHashCache(blake3);
                try (BlockStmEngine engine = new BlockStmEngine(cache.around(new ChainVm()),
                        BlockStmOptions.defaults(threads).withContentionFallback(false))) {
                    for (int run = 0; run < 3; run++) {
                        OutputAssertions.assertSameResult(engine.execute(b.context(), b.txs(), b.base()), expected,
                                threads + " threads, run " + run);
                    }
                }
                // the block's keys were hashed in its first run; runs two and three found them held
                // (a key evicted by a cell neighbour, or hashed by two workers at once, may be hashed again)
                int distinctKeys = distinctPublicKeys(b);
                assertThat(blake3.calls.get()).as("%d threads", threads).isLessThanOrEqualTo(distinctKeys * 3 / 2 + 16);
            }
        }
    }

    @Test
    void theJobsSequentialEngineWithTheCacheGivesTheSameResults() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(46, 1, 400, Workload.MIXED));
        BlockOutput expected = new SequentialEngine(new ChainVm()).execute(b.context(), b.txs(), b.base());
        SequentialEngine cached = new SequentialEngine(new KeyHashCache().around(new ChainVm()));
        for (int run = 0; run < 3; run++) {
            OutputAssertions.assertSameResult(cached.execute(b.context(), b.txs(), b.base()), expected, "run " + run);
        }
    }

    /** Distinct public keys presented by the block's transactions (an upper bound on the hashes a warm cache needs). */
    private static int distinctPublicKeys(BlockFixtures b) {
        CountingHash counter = new CountingHash();
        KeyHashCache probe = new KeyHashCache(counter);
        new SequentialEngine(probe.around(new ChainVm())).execute(b.context(), b.txs(), b.base());
        return Math.max(1, counter.calls.get());
    }
}
