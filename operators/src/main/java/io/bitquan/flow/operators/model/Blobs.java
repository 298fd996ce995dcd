package io.bitquan.flow.operators.model;

import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.codec.CanonicalWriter;
import java.util.ArrayList;
import java.util.List;

/** A list of byte strings as one byte array (count, then length-prefixed items). */
public final class Blobs {
    private Blobs() {}

    public static byte[] pack(List<byte[]> items) {
        int size = 4;
        for (byte[] b : items) {
            size += 4 + b.length;
        }
        CanonicalWriter w = new CanonicalWriter(size);
        w.i32(items.size());
        for (byte[] b : items) {
            w.bytes(b);
        }
        return w.toByteArray();
    }

    /**
     * The same bytes as {@link #pack} of the items {@code from} (inclusive) to {@code to} (exclusive)
     * of {@code ranges} ({offset, length} pairs into {@code source}), written straight from the
     * source: the sequencer packs a chunk of transactions from the event as it arrived without first
     * copying each ~5.5 KB ML-DSA transaction out of it (one copy of every transaction byte less).
     */
    public static byte[] pack(byte[] source, int[] ranges, int from, int to) {
        int size = 4;
        for (int i = from; i < to; i++) {
            size += 4 + ranges[2 * i + 1];
        }
        byte[] out = new byte[size];
        int at = putInt(out, 0, to - from);
        for (int i = from; i < to; i++) {
            int length = ranges[2 * i + 1];
            at = putInt(out, at, length);
            System.arraycopy(source, ranges[2 * i], out, at, length);
            at += length;
        }
        return out;
    }

    /** Big-endian, as {@link CanonicalWriter#i32}. */
    private static int putInt(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
        return at + 4;
    }

    /**
     * Where each item lies in {@code packed}, as {offset, length} pairs ({@code 2 * count} ints),
     * checked as {@link #unpack} checks them, without copying any item: a chunk's ~5.5 KB ML-DSA
     * transactions are decoded straight from the chunk (the copies were ~6 % of the preparers'
     * allocation).
     */
    public static int[] ranges(byte[] packed) {
        if (packed == null) {
            return new int[0];
        }
        CanonicalReader r = new CanonicalReader(packed);
        int n = r.i32();
        if (n < 0 || n > (packed.length - 4) / 4) {
            throw new IllegalArgumentException("bad item count " + n + " in " + packed.length + " bytes");
        }
        int[] out = new int[2 * n];
        for (int i = 0; i < n; i++) {
            int length = r.i32();
            out[2 * i] = r.position();
            out[2 * i + 1] = length;
            r.skip(length);
        }
        r.expectEnd();
        return out;
    }

    public static List<byte[]> unpack(byte[] packed) {
        if (packed == null) {
            return List.of();
        }
        CanonicalReader r = new CanonicalReader(packed);
        int n = r.i32();
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.bytes());
        }
        r.expectEnd();
        return out;
    }
}
