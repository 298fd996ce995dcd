package io.bitquan.flow.model.state;

import java.util.Arrays;

/** One contract storage slot's value. Encoding: the raw bytes. */
public record StorageValue(byte[] data) implements StateValue {

    @Override
    public byte[] encode() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StorageValue other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }
}
