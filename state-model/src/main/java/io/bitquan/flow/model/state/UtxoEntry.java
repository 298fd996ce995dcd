package io.bitquan.flow.model.state;

import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.codec.CanonicalWriter;
import java.util.Arrays;

/**
 * An unspent output. Encoding: amount(i64) | height(i64) | coinbase(u8) | lock(32).
 *
 * @param height the height of the block that created it (0 = genesis), for coinbase maturity
 */
public record UtxoEntry(long amount, long height, boolean coinbase, byte[] lock) implements StateValue {

    public UtxoEntry {
        if (lock.length != 32) {
            throw new IllegalArgumentException("lock must be 32 bytes, got " + lock.length);
        }
    }

    @Override
    public byte[] encode() {
        return new CanonicalWriter(49).i64(amount).i64(height).bool(coinbase).fixed(lock).toByteArray();
    }

    public static UtxoEntry decode(byte[] encoded) {
        CanonicalReader in = new CanonicalReader(encoded);
        UtxoEntry entry = new UtxoEntry(in.i64(), in.i64(), in.bool(), in.fixed(32));
        in.expectEnd();
        return entry;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UtxoEntry other && amount == other.amount && height == other.height
                && coinbase == other.coinbase && Arrays.equals(lock, other.lock);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(amount) * 31 + Arrays.hashCode(lock);
    }
}
