package io.bitquan.flow.model.commit;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.macs.SipHash;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The element hashes of entries added recently, by their element encoding (u32 key length | key |
 * u32 value length | value), so that removing such an entry again costs a lookup instead of its
 * 32 BLAKE3 compressions. An account's (or a storage slot's) next change removes exactly the
 * entry its last change added; Solana keeps each account's lattice hash beside the account for the
 * same reason (SIMD-0215). Bounded (least recently used first out, at most {@code capacity}
 * elements of 2 KiB), and a pure cache: a hit hands back the very words the XOF gave for these
 * bytes, a miss computes them, so the lattice never depends on what it holds.
 *
 * <p>The table buckets by a keyed hash (BouncyCastle's {@link SipHash}, SipHash-2-4, under a
 * 128-bit key drawn once per process): the element bytes are state a block chose, and with a public
 * hash (Java's 31-polynomial) a hostile block could give thousands of entries one bucket and make
 * every lookup a scan (the keys are not {@code Comparable}, so {@code HashMap}'s tree bins do not
 * help). The random key reaches no result: it only decides which bucket an entry sits in, and a
 * lookup compares the bytes, so what {@link #take} returns for given bytes, and hence every root,
 * is the same under any key.
 *
 * <p>Not thread-safe: one per owner (a commitment partition subtask).
 */
public final class ElementCache {
    /** This process's bucket key, 16 bytes (see the class comment: it cannot reach a root). */
    private static final byte[] PROCESS_KEY = randomKey();

    private final int capacity;
    /** SipHash-2-4 under the bucket key; BouncyCastle's is stateful (resets on doFinal), so one per cache. */
    private final SipHash bucketHash = new SipHash();
    private final LinkedHashMap<Element, int[]> hashes;
    /** The lookup key, pointed at the caller's buffer (never stored in the map). */
    private final Element probe = new Element(null, 0, 0);
    /** Arrays free for reuse ({@link #spare}); a few suffice: one is taken per kept hash, one comes back per hit or eviction. */
    private final java.util.ArrayDeque<int[]> spares = new java.util.ArrayDeque<>();
    private static final int MAX_SPARES = 16;
    private long hits;
    private long misses;

    public ElementCache(int capacity) {
        this(capacity, PROCESS_KEY);
    }

    /** With a given 16-byte SipHash key (tests: a fixed key). */
    ElementCache(int capacity, byte[] bucketKey) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        bucketHash.init(new KeyParameter(bucketKey)); // copies the key; rejects any length but 16
        this.hashes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Element, int[]> eldest) {
                if (size() > ElementCache.this.capacity) {
                    recycle(eldest.getValue());
                    return true;
                }
                return false;
            }
        };
    }

    /** The words held for the element {@code bytes[0, length)}, removed from the cache, or null. */
    int[] take(byte[] bytes, int length) {
        int[] words = hashes.remove(probe.at(bytes, length, bucket(bytes, length)));
        probe.at(null, 0, 0);
        if (words == null) {
            misses++;
        } else {
            hits++;
        }
        return words;
    }

    /**
     * An array for the next element hash to keep: one handed back by {@link #recycle} (a hit's
     * words once subtracted, an evicted entry's), else a new one. The caller overwrites all of it.
     * Accounts change over and over, so in a steady state every kept hash reuses an array instead
     * of allocating 2 KiB.
     */
    int[] spare(int words) {
        int[] a = spares.pollLast();
        return a != null && a.length == words ? a : new int[words];
    }

    /** Takes back an array nobody reads any more (at most {@link #MAX_SPARES} are held). */
    void recycle(int[] words) {
        if (spares.size() < MAX_SPARES) {
            spares.addLast(words);
        }
    }

    /** Keeps {@code words}, the element hash of {@code bytes[0, length)} (copied). */
    void put(byte[] bytes, int length, int[] words) {
        hashes.put(new Element(Arrays.copyOf(bytes, length), length, bucket(bytes, length)), words);
    }

    /** The table hash of the element {@code bytes[0, length)}: the keyed 64-bit hash, folded. */
    int bucket(byte[] bytes, int length) {
        bucketHash.update(bytes, 0, length);
        long h = bucketHash.doFinal(); // and resets to the key's initial state
        return (int) (h ^ (h >>> 32));
    }

    private static byte[] randomKey() {
        byte[] key = new byte[16];
        new SecureRandom().nextBytes(key);
        return key;
    }

    public int size() {
        return hashes.size();
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /** An element encoding as a map key: compared by its bytes. */
    private static final class Element {
        private byte[] bytes;
        private int length;
        private int hash;

        Element(byte[] bytes, int length, int hash) {
            this.bytes = bytes;
            this.length = length;
            this.hash = hash;
        }

        Element at(byte[] b, int n, int h) {
            bytes = b;
            length = n;
            hash = h;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Element e && e.length == length && e.hash == hash
                    && Arrays.equals(bytes, 0, length, e.bytes, 0, e.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
