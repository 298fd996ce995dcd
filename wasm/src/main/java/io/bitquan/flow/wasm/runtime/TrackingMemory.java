package io.bitquan.flow.wasm.runtime;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;

/**
 * Linear memory that remembers the byte range written since the last {@link #restore}, so a
 * reused instance is reset by copying back only that range from its post-instantiation image
 * (tens of bytes for a token transfer instead of a 64 KiB page). Delegates everything to
 * {@link ByteArrayMemory}. Atomics and shared memory are rejected at deploy, so never reach it.
 * Confined to one thread with its instance.
 */
@SuppressWarnings("removal") // lock/waitOn/notify are abstract in Memory; unreachable here (no atomics)
final class TrackingMemory implements Memory {
    private final ByteArrayMemory delegate;
    private final int initialPages;
    /** Written range [lo, hi); lo > hi when clean. */
    private int lo = Integer.MAX_VALUE;
    private int hi = 0;
    private byte[] image;

    TrackingMemory(MemoryLimits limits) {
        this.delegate = new ByteArrayMemory(limits);
        this.initialPages = limits.initialPages();
    }

    private void dirty(int from, int length) {
        if (from < lo) {
            lo = from;
        }
        int end = from + length;
        if (end > hi) {
            hi = end;
        }
    }

    /** Takes the image every later {@link #restore} returns to (call right after instantiation). */
    void snapshot() {
        image = delegate.readBytes(0, delegate.pages() * PAGE_SIZE);
        lo = Integer.MAX_VALUE;
        hi = 0;
    }

    /** Restores the image; false when that is impossible (memory grew) and the instance must go. */
    boolean restore() {
        if (delegate.pages() != initialPages || image == null) {
            return false;
        }
        if (lo < hi) {
            int from = Math.max(lo, 0);
            int to = Math.min(hi, image.length);
            delegate.write(from, image, from, to - from);
        }
        lo = Integer.MAX_VALUE;
        hi = 0;
        return true;
    }

    @Override public int pages() { return delegate.pages(); }
    @Override public int grow(int size) { return delegate.grow(size); }
    @Override public int initialPages() { return delegate.initialPages(); }
    @Override public int maximumPages() { return delegate.maximumPages(); }
    @Override public boolean shared() { return false; }
    @Override public Object lock(int address) { throw noAtomics(); }
    @Override public int waitOn(int address, int expected, long timeout) { throw noAtomics(); }
    @Override public int waitOn(int address, long expected, long timeout) { throw noAtomics(); }
    @Override public int notify(int address, int maxThreads) { throw noAtomics(); }

    private static UnsupportedOperationException noAtomics() {
        return new UnsupportedOperationException("atomics are rejected at deploy");
    }

    @Override
    public void initialize(Instance instance, DataSegment[] dataSegments) {
        delegate.initialize(instance, dataSegments);
        dirty(0, delegate.pages() * PAGE_SIZE);
    }

    @Override
    public void initialize(Instance instance, DataSegment[] dataSegments, int segmentIndex) {
        delegate.initialize(instance, dataSegments, segmentIndex);
        dirty(0, delegate.pages() * PAGE_SIZE);
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        delegate.initPassiveSegment(segmentId, dest, offset, size);
        dirty(dest, size);
    }

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        delegate.write(addr, data, offset, size);
        dirty(addr, size);
    }

    @Override public byte read(int addr) { return delegate.read(addr); }
    @Override public byte[] readBytes(int addr, int len) { return delegate.readBytes(addr, len); }

    @Override
    public void writeI32(int addr, int data) {
        delegate.writeI32(addr, data);
        dirty(addr, 4);
    }

    @Override public int readInt(int addr) { return delegate.readInt(addr); }

    @Override
    public void writeLong(int addr, long data) {
        delegate.writeLong(addr, data);
        dirty(addr, 8);
    }

    @Override public long readLong(int addr) { return delegate.readLong(addr); }

    @Override
    public void writeShort(int addr, short data) {
        delegate.writeShort(addr, data);
        dirty(addr, 2);
    }

    @Override public short readShort(int addr) { return delegate.readShort(addr); }
    @Override public long readU16(int addr) { return delegate.readU16(addr); }

    @Override
    public void writeByte(int addr, byte data) {
        delegate.writeByte(addr, data);
        dirty(addr, 1);
    }

    @Override
    public void writeF32(int addr, float data) {
        delegate.writeF32(addr, data);
        dirty(addr, 4);
    }

    @Override public long readF32(int addr) { return delegate.readF32(addr); }
    @Override public float readFloat(int addr) { return delegate.readFloat(addr); }

    @Override
    public void writeF64(int addr, double data) {
        delegate.writeF64(addr, data);
        dirty(addr, 8);
    }

    @Override public double readDouble(int addr) { return delegate.readDouble(addr); }
    @Override public long readF64(int addr) { return delegate.readF64(addr); }

    @Override
    public void zero() {
        delegate.zero();
        dirty(0, delegate.pages() * PAGE_SIZE);
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        delegate.fill(value, fromIndex, toIndex);
        dirty(fromIndex, toIndex - fromIndex);
    }

    @Override
    public void copy(int dest, int src, int size) {
        delegate.copy(dest, src, size);
        dirty(dest, size);
    }

    @Override public void drop(int segment) { delegate.drop(segment); }
}
