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
