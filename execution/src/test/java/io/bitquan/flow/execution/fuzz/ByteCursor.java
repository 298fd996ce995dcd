package io.bitquan.flow.execution.fuzz;

/**
 * Turns fuzzer bytes into choices. Past the end it returns zeros, so every input, however
 * short, describes a complete (if boring) scenario.
 */
final class ByteCursor {
    private final byte[] data;
    private int position;

    ByteCursor(byte[] data) {
        this.data = data;
    }

    int u8() {
        return position < data.length ? data[position++] & 0xFF : 0;
    }

    /** In [0, bound). */
    int below(int bound) {
        return bound <= 1 ? 0 : ((u8() << 8) | u8()) % bound;
    }

    /** True with the given probability; false on exhausted input, so zeros mean "the plain case". */
    boolean chance(int percent) {
        return below(100) >= 100 - percent;
    }

    long anyLong() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | u8();
        }
        return v;
    }

    byte[] bytes(int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) u8();
        }
        return out;
    }
}
