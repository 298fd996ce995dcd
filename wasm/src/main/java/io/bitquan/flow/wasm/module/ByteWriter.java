package io.bitquan.flow.wasm.module;

import java.util.Arrays;

/** A growable byte buffer with the WebAssembly LEB128 encodings. */
final class ByteWriter {
    private byte[] buf = new byte[256];
    private int size;

    ByteWriter u8(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    ByteWriter u32(long v) {
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            u8(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return this;
    }

    ByteWriter s64(long v) {
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
            u8(done ? b : b | 0x80);
            if (done) {
                return this;
            }
        }
    }

    ByteWriter s32(int v) {
        return s64(v);
    }

    ByteWriter bytes(byte[] src, int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(src, from, buf, size, n);
        size += n;
        return this;
    }

    ByteWriter bytes(byte[] src) {
        return bytes(src, 0, src.length);
    }

    ByteWriter name(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        u32(b.length);
        return bytes(b);
    }

    /** Appends a section: id, size, contents. */
    ByteWriter section(int id, ByteWriter contents) {
        u8(id);
        u32(contents.size);
        return bytes(contents.buf, 0, contents.size);
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
