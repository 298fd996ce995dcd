package io.bitquan.flow.execution.blockstm;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One atomic reference per transaction, laid out so that neighbouring transactions never share
 * a cache line. Workers run neighbouring transactions at the same time (indices are handed out
 * in order), and each finished incarnation stores into several per-transaction slots (its
 * result, read set, write set, dependents stack): in a plain array 16 neighbours share a 64-byte
 * line, so every such store took the line from the other core (false sharing). Slot {@code i}
 * lives at {@code (i mod 16) * segment + i / 16}: the 16 neighbours of a window land in 16
 * different segments, with no padding (the array is at most 15 slots longer than the block).
 * Semantics are exactly those of {@link AtomicReferenceArray} indexed by transaction.
 */
final class TxSlots<T> {
    private static final int SPREAD = 16;

    private final AtomicReferenceArray<T> slots;
    private final int segment;

    TxSlots(int size) {
        this.segment = (size + SPREAD - 1) / SPREAD;
        this.slots = new AtomicReferenceArray<>(Math.max(1, segment * SPREAD));
    }

    private int at(int i) {
        return (i & (SPREAD - 1)) * segment + (i >>> 4);
    }

    T get(int i) {
        return slots.get(at(i));
    }

    void set(int i, T value) {
        slots.set(at(i), value);
    }

    /** A release store (no fence after it): for a slot only its current owner writes. */
    void setRelease(int i, T value) {
        slots.lazySet(at(i), value);
    }

    boolean compareAndSet(int i, T expected, T value) {
        return slots.compareAndSet(at(i), expected, value);
    }

    T getAndSet(int i, T value) {
        return slots.getAndSet(at(i), value);
    }
}
