package io.bitquan.flow.model.state;

import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.codec.CanonicalWriter;

/** An account. Encoding: balance(i64) | nonce(i64). A missing account reads as {@link #EMPTY}. */
public record AccountState(long balance, long nonce) implements StateValue {
    public static final AccountState EMPTY = new AccountState(0, 0);

    @Override
    public byte[] encode() {
        return new CanonicalWriter(16).i64(balance).i64(nonce).toByteArray();
    }

    public static AccountState decode(byte[] encoded) {
        CanonicalReader in = new CanonicalReader(encoded);
        AccountState state = new AccountState(in.i64(), in.i64());
        in.expectEnd();
        return state;
    }
}
