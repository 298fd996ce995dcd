package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.state.StateKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One block's key -> {@link VersionChain} table: open addressing over one array of chains, insert
 * only, lock-free. It replaces a {@code ConcurrentHashMap}, whose {@code computeIfAbsent} was the
 * largest single Block-STM frame on token/10000 (JFR, 2 workers: 16% of the engine's samples):
 * per new key it allocates a node and a reservation node, takes a monitor and bumps a size
 * counter that both workers write; per found key it walks node -> key -> chain. Here a found key
 * costs slot -> chain -> encoding (the chain holds the key's hash and encoded bytes, so the key
 * object itself is not loaded), and a new key one CAS.
 *
 * <p>Why it is linearizable without locks: a slot goes from {@code null} to a chain exactly once
 * (CAS) and never changes again. A lookup probes a fixed window of slots from the key's home
 * slot; it stops at the key's chain or at an empty slot, which it tries to claim (a lost CAS
 * re-reads that slot, which now holds a chain, and continues). Two threads looking up one key
 * therefore meet at the same slot. When the whole window is full (only with far more keys than
 * the table was sized for) the key lives in an overflow map instead; since full slots stay
 * full, every later lookup of that key also finds the window full and goes to the same map.
 */
final class ChainTable {
    /** Slots probed before a key goes to the overflow map. */
    static final int WINDOW = 64;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(VersionChain[].class);

    private final VersionChain[] slots;
    private final int shift;
    private volatile ConcurrentHashMap<StateKey, VersionChain> overflow;

    /** @param expectedKeys about how many keys the block touches (the table is 2-4x that) */
    ChainTable(int expectedKeys) {
        int capacity = Integer.highestOneBit(Math.max(WINDOW, expectedKeys) * 2 - 1) * 2;
        capacity = Math.min(capacity, 1 << 26);
        this.slots = new VersionChain[capacity];
        this.shift = 32 - Integer.numberOfTrailingZeros(capacity);
    }

    /** The key's chain, created on first touch. */
    VersionChain chain(StateKey key) {
        int h = key.hashCode();
        int mask = slots.length - 1;
        for (int probe = 0, i = home(h); probe < WINDOW; probe++, i = (i + 1) & mask) {
            VersionChain c = (VersionChain) SLOTS.getAcquire(slots, i);
            if (c == null) {
                VersionChain created = new VersionChain(key, h);
                VersionChain witness = (VersionChain) SLOTS.compareAndExchangeRelease(slots, i, null, created);
                if (witness == null) {
                    return created;
                }
                c = witness;
            }
            if (c.hash == h && (c.key == key || Arrays.equals(c.encoded, key.encodedUnsafe()))) {
                return c;
            }
        }
        return overflow().computeIfAbsent(key, k -> new VersionChain(k, h));
    }

    /** The key's chain if some transaction touched the key, else {@code null} (tests, diagnostics). */
    VersionChain find(StateKey key) {
        int h = key.hashCode();
        int mask = slots.length - 1;
        for (int probe = 0, i = home(h); probe < WINDOW; probe++, i = (i + 1) & mask) {
            VersionChain c = (VersionChain) SLOTS.getAcquire(slots, i);
            if (c == null) {
                return null;
            }
            if (c.hash == h && c.key.equals(key)) {
                return c;
            }
        }
        ConcurrentHashMap<StateKey, VersionChain> o = overflow;
        return o == null ? null : o.get(key);
    }

    /** Fibonacci hashing: the top bits of h * 2^32/phi, so similar polynomial hashes spread. */
    private int home(int h) {
        return (h * 0x9E3779B9) >>> shift;
    }

    private ConcurrentHashMap<StateKey, VersionChain> overflow() {
        ConcurrentHashMap<StateKey, VersionChain> o = overflow;
        if (o == null) {
            synchronized (this) {
                o = overflow;
                if (o == null) {
                    o = new ConcurrentHashMap<>();
                    overflow = o;
                }
            }
        }
        return o;
    }

    /** Keys held in the overflow map (tests). */
    int overflowSize() {
        ConcurrentHashMap<StateKey, VersionChain> o = overflow;
        return o == null ? 0 : o.size();
    }
}
