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
