package io.bitquan.flow.model.commit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The element cache buckets by a keyed hash: inputs built to collide under Java's 31-polynomial
 * hash (what it used before) spread over the table, and the cache, under any key, never changes
 * a lattice.
 */
class ElementCacheTest {
    private static final int ENTRIES = 1024;

    /**
     * 1,024 element encodings (u32 key length | key | u32 value length | value) whose keys are ten
     * pairs each "Aa" or "BB" ('A' * 31 + 'a' == 'B' * 31 + 'B'), so all have one 31-polynomial hash.
     */
    private static List<byte[]> colliding() {
        List<byte[]> out = new ArrayList<>();
        for (int bits = 0; bits < ENTRIES; bits++) {
            ByteBuffer b = ByteBuffer.allocate(4 + 20 + 4 + 8);
            b.putInt(20);
            for (int pair = 0; pair < 10; pair++) {
                b.put((bits >> pair & 1) == 0 ? new byte[] {'A', 'a'} : new byte[] {'B', 'B'});
            }
            b.putInt(8).putLong(42);
            out.add(b.array());
        }
        return out;
    }

    /** A 16-byte SipHash key: k0 and k1 as little-endian words (k0 = key bytes 0-7). */
    private static byte[] key(long k0, long k1) {
        return ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(k0).putLong(k1).array();
    }

    private static List<byte[]> keys() {
        return List.of(key(0, 0), key(1, 2), key(0x9E3779B97F4A7C15L, -1L));
    }

    /** The bucket is SipHash-2-4 folded to 32 bits: the reference vector (key 00..0f, message 00..0e) through the cache. */
    @Test
    void bucketsBySipHash24() {
        byte[] m = new byte[15];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) i;
        }
        long h = 0xa129ca6149be45e5L; // the paper's worked example
        byte[] padded = Arrays.copyOf(m, 40); // only the first length bytes count
        assertThat(new ElementCache(1, key(0x0706050403020100L, 0x0f0e0d0c0b0a0908L)).bucket(padded, 15))
                .isEqualTo((int) (h ^ (h >>> 32)));
    }

    @Test
    void inputsColliding31HashDoNotShareABucket() {
        List<byte[]> inputs = colliding();
        assertThat(inputs.stream().map(Arrays::hashCode).distinct().count()).as("the inputs collide under the 31-hash").isEqualTo(1);
        List<ElementCache> caches = new ArrayList<>();
        keys().forEach(k -> caches.add(new ElementCache(16, k)));
        caches.add(new ElementCache(16)); // this process's random key
        for (ElementCache cache : caches) {
            Set<Integer> hashes = new HashSet<>();
            Set<Integer> buckets = new HashSet<>();
            for (byte[] e : inputs) {
                int h = cache.bucket(e, e.length);
                hashes.add(h);
                buckets.add((h ^ (h >>> 16)) & (ENTRIES - 1)); // HashMap's bucket in a table of 1,024
            }
            // a random function puts 1,024 keys in ~647 of 1,024 buckets; the 31-hash put them in 1
            assertThat(hashes.size()).isGreaterThanOrEqualTo(ENTRIES - 4);
            assertThat(buckets.size()).isGreaterThan(550);
        }
    }

    @Test
    void twoKeysBucketDifferently() {
        byte[] e = colliding().get(7);
        assertThat(new ElementCache(1, key(1, 2)).bucket(e, e.length))
                .isNotEqualTo(new ElementCache(1, key(1, 3)).bucket(e, e.length));
    }

    /**
     * Entries replaced again and again (an account's balance): each removal hits and hands its array
     * back, each add reuses one; a small capacity also evicts. Every step's lattice equals the
     * uncached one, so a reused array never carries words of the element it held before.
     */
    @Test
    void reusedArraysCarryNoStaleWords() {
        Random random = new Random(11);
        ElementCache cache = new ElementCache(3, key(3, 4));
        LtHash cached = new LtHash();
        LtHash plain = new LtHash();
        long[] balance = new long[6];
        boolean[] added = new boolean[balance.length];
        for (int step = 0; step < 400; step++) {
            int account = random.nextInt(balance.length);
            byte[] old = entry(account, balance[account]);
            balance[account] = random.nextLong();
            byte[] now = entry(account, balance[account]);
            if (added[account]) {
                cached.removeEncoded(old, 0, 24, cache);
                plain.removeEncoded(old, 0, 24);
            }
            cached.addEncoded(now, 0, 24, cache);
            plain.addEncoded(now, 0, 24);
            added[account] = true;
            assertThat(cached).as("step %d", step).isEqualTo(plain);
        }
        assertThat(cache.hits()).isGreaterThan(100);
    }

    private static byte[] entry(int account, long balance) {
        return ByteBuffer.allocate(4 + 20 + 4 + 8).putInt(20).putInt(account).put(new byte[16]).putInt(8).putLong(balance).array();
    }

    /** Adds and removes the colliding entries in a shuffled order, with and without the cache. */
    @Test
    void theCacheNeverChangesALattice() {
        List<byte[]> inputs = colliding();
        List<ElementCache> caches = new ArrayList<>();
        keys().forEach(k -> caches.add(new ElementCache(300, k)));
        caches.add(new ElementCache(300));
        for (ElementCache cache : caches) {
            LtHash cached = new LtHash();
            LtHash plain = new LtHash();
            for (byte[] e : inputs.subList(0, 700)) {
                cached.addEncoded(e, 0, 24, cache);
                plain.addEncoded(e, 0, 24);
            }
            assertThat(cached).isEqualTo(plain);
            List<byte[]> removals = new ArrayList<>(inputs.subList(0, 700));
            Collections.shuffle(removals, new Random(5));
            for (int i = 0; i < removals.size(); i++) {
                cached.removeEncoded(removals.get(i), 0, 24, cache);
                plain.removeEncoded(removals.get(i), 0, 24);
                if (i % 97 == 0) {
                    assertThat(cached).isEqualTo(plain);
                }
            }
            assertThat(cached).isEqualTo(plain).isEqualTo(new LtHash());
            assertThat(cache.hits()).as("evicted entries miss, kept ones hit").isGreaterThan(0).isLessThanOrEqualTo(300);
            assertThat(cache.hits() + cache.misses()).isEqualTo(700);
            assertThat(cache.size()).isZero();
        }
    }
}
