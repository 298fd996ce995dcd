package io.bitquan.flow.wasm.module;

/** Reads the WebAssembly binary encoding (LEB128 integers, bytes) with bounds checks. */
final class ByteReader {
    private final byte[] data;
    private int pos;
    private final int limit;

    ByteReader(byte[] data, int pos, int limit) {
        this.data = data;
        this.pos = pos;
        this.limit = limit;
    }

    int pos() {
        return pos;
    }

    boolean atEnd() {
        return pos >= limit;
    }

    int u8() throws InvalidModuleException {
        if (pos >= limit) {
            throw new InvalidModuleException("unexpected end of module at byte " + pos);
        }
        return data[pos++] & 0xFF;
    }

    /** Unsigned LEB128 that must fit 32 bits. */
    int u32() throws InvalidModuleException {
        long result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = u8();
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result > 0xFFFF_FFFFL) {
                    throw new InvalidModuleException("u32 out of range at byte " + pos);
                }
                return (int) result;
            }
        }
        throw new InvalidModuleException("u32 too long at byte " + pos);
    }

    /** A u32 used as a count or index: must be non-negative as a Java int. */
    int index() throws InvalidModuleException {
        int v = u32();
        if (v < 0) {
            throw new InvalidModuleException("index or count too large at byte " + pos);
        }
        return v;
    }

    /** Skips a signed LEB128 of at most {@code bits} bits. */
    void skipSigned(int bits) throws InvalidModuleException {
        int maxBytes = (bits + 6) / 7;
        for (int i = 0; i < maxBytes; i++) {
            if ((u8() & 0x80) == 0) {
                return;
            }
        }
        throw new InvalidModuleException("signed LEB128 too long at byte " + pos);
    }

    void skip(int n) throws InvalidModuleException {
        if (n < 0 || limit - pos < n) {
            throw new InvalidModuleException("unexpected end of module at byte " + pos);
        }
        pos += n;
    }

    String name() throws InvalidModuleException {
        int len = index();
        int start = pos;
        skip(len);
        return new String(data, start, len, java.nio.charset.StandardCharsets.UTF_8);
    }
}
