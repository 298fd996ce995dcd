package io.bitquan.flow.wasm.contracts;

/** Argument encodings of the example contracts' methods (little-endian i64s, raw addresses). */
public final class ContractArgs {
    private ContractArgs() {}

    public static byte[] i64(long v) {
        byte[] b = new byte[8];
        putI64(b, 0, v);
        return b;
    }

    public static byte[] i64s(long a, long b) {
        byte[] out = new byte[16];
        putI64(out, 0, a);
        putI64(out, 8, b);
        return out;
    }

    /** token.transfer: to(32) | amount(i64 LE). */
    public static byte[] transfer(byte[] to, long amount) {
        byte[] out = new byte[40];
        System.arraycopy(to, 0, out, 0, 32);
        putI64(out, 32, amount);
        return out;
    }

    public static long readI64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static void putI64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
