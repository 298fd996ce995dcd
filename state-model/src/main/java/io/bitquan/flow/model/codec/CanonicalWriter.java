package io.bitquan.flow.model.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The one canonical binary encoding used for everything that is hashed or signed: fixed-width
 * big-endian integers, length-prefixed byte strings and UTF-8 strings. Unlike Avro's binary
 * encoding it does not change when a schema evolves, so consensus hashes never depend on it.
 */
public final class CanonicalWriter {
    private final ByteArrayOutputStream out;

    public CanonicalWriter() {
        this(128);
    }

    public CanonicalWriter(int expectedSize) {
        this.out = new ByteArrayOutputStream(expectedSize);
    }

    public CanonicalWriter u8(int value) {
        out.write(value & 0xFF);
        return this;
    }

    public CanonicalWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    public CanonicalWriter i32(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    public CanonicalWriter i64(long value) {
        i32((int) (value >>> 32));
        return i32((int) value);
    }

    /** Raw bytes with no length: only for fields whose length the type fixes (hashes). */
    public CanonicalWriter fixed(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        return this;
    }

    /** Length-prefixed byte string. */
    public CanonicalWriter bytes(byte[] bytes) {
        i32(bytes.length);
        return fixed(bytes);
    }

    public CanonicalWriter string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
