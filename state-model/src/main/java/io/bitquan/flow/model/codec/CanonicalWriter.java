package io.bitquan.flow.model.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The one canonical binary encoding used for everything that is hashed or signed: fixed-width
 * big-endian integers, length-prefixed byte strings and UTF-8 strings. Unlike Avro's binary
 * encoding it does not change when a schema evolves, so consensus hashes never depend on it.
 *
 * <p>Writes into its own array rather than a ByteArrayOutputStream: that one's writes are
 * synchronized (a lock per byte of an integer, with no biased locking on Java 17), which made
 * encoding a block's changes a visible share of the executor's time. Not thread-safe.
 */
public final class CanonicalWriter {
    private byte[] buf;
    private int count;
    /** {@link #buf} was returned by {@link #toByteArray} (it was full then, so it is never written again). */
    private boolean handedOut;

    public CanonicalWriter() {
        this(128);
    }

    public CanonicalWriter(int expectedSize) {
        this.buf = new byte[Math.max(16, expectedSize)];
    }

    private void ensure(int more) {
        int needed = count + more;
        if (needed > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
        }
    }

    public CanonicalWriter u8(int value) {
        ensure(1);
        buf[count++] = (byte) value;
        return this;
    }

    public CanonicalWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    public CanonicalWriter i32(int value) {
        ensure(4);
        buf[count] = (byte) (value >>> 24);
        buf[count + 1] = (byte) (value >>> 16);
        buf[count + 2] = (byte) (value >>> 8);
        buf[count + 3] = (byte) value;
        count += 4;
        return this;
    }

    public CanonicalWriter i64(long value) {
        i32((int) (value >>> 32));
        return i32((int) value);
    }

    /** Raw bytes with no length: only for fields whose length the type fixes (hashes). */
    public CanonicalWriter fixed(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, count, bytes.length);
        count += bytes.length;
        return this;
    }

    /** Length-prefixed byte string. */
    public CanonicalWriter bytes(byte[] bytes) {
        ensure(4 + bytes.length);
        i32(bytes.length);
        return fixed(bytes);
    }

    /**
     * Length-prefixed byte string of the remaining bytes of {@code buffer} (its position is left
     * alone): the same bytes as {@code bytes(Bytes.of(buffer))} without copying the field out of an
     * Avro record first.
     */
    public CanonicalWriter bytes(ByteBuffer buffer) {
        int length = buffer.remaining();
        ensure(4 + length);
        i32(length);
        buffer.duplicate().get(buf, count, length);
        count += length;
        return this;
    }

    public CanonicalWriter string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Empties the writer for reuse (a writer kept per thread for hashing: no growth and no copy per
     * use). A buffer once handed out by {@link #toByteArray} is never written again: it is replaced.
     */
    public CanonicalWriter reset() {
        if (handedOut) {
            buf = new byte[buf.length];
            handedOut = false;
        }
        count = 0;
        return this;
    }

    /**
     * The writer's own array: bytes {@code [0, size())} are what was written. A view for hashing in
     * place; valid until the next write or {@link #reset}; never keep it or hand it on.
     */
    public byte[] buffer() {
        return buf;
    }

    /** Capacity of the current buffer (a pooled writer drops one that grew past what it should keep). */
    public int capacity() {
        return buf.length;
    }

    /** Bytes written so far. */
    public int size() {
        return count;
    }

    /**
     * The bytes written. A writer sized exactly ({@code expectedSize} = what was written, >= 16)
     * hands over its buffer instead of copying it (value encodings and undo records on the
     * executor's serial thread are sized exactly): a full buffer is never written again (any
     * further write grows into a new one), and a second call copies, so no two callers share it.
     */
    public byte[] toByteArray() {
        if (count == buf.length && !handedOut) {
            handedOut = true;
            return buf;
        }
        return Arrays.copyOf(buf, count);
    }
}
