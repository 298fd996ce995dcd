package io.bitquan.flow.model.codec;

/** Reads {@link CanonicalWriter} encodings strictly: short or trailing bytes are errors. */
public final class CanonicalReader {
    private final byte[] data;
    private int position;

    public CanonicalReader(byte[] data) {
        this.data = data;
    }

    private void need(int count) {
        if (count < 0 || data.length - position < count) {
            throw new IllegalArgumentException(
                    "truncated encoding: need " + count + " bytes at offset " + position + " of " + data.length);
        }
    }

    public int u8() {
        need(1);
        return data[position++] & 0xFF;
    }

    public boolean bool() {
        int value = u8();
        if (value > 1) {
            throw new IllegalArgumentException("non-canonical boolean " + value + " at offset " + (position - 1));
        }
        return value == 1;
    }

    public int i32() {
        need(4);
        int value = ((data[position] & 0xFF) << 24) | ((data[position + 1] & 0xFF) << 16)
                | ((data[position + 2] & 0xFF) << 8) | (data[position + 3] & 0xFF);
        position += 4;
        return value;
    }

    public long i64() {
        long high = i32() & 0xFFFFFFFFL;
        long low = i32() & 0xFFFFFFFFL;
        return (high << 32) | low;
    }

    public byte[] fixed(int length) {
        need(length);
        byte[] out = new byte[length];
        System.arraycopy(data, position, out, 0, length);
        position += length;
        return out;
    }

    public byte[] bytes() {
        return fixed(i32());
    }

    /** Passes over {@code length} bytes (checked as {@link #fixed} checks them) without copying them. */
    public void skip(int length) {
        need(length);
        position += length;
    }

    /** Bytes read so far. */
    public int position() {
        return position;
    }

    public void expectEnd() {
        if (position != data.length) {
            throw new IllegalArgumentException(
                    "non-canonical encoding: " + (data.length - position) + " trailing bytes");
        }
    }
}
