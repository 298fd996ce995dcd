package io.bitquan.flow.model.state;

import java.util.Arrays;

/** A deployed contract's (instrumented) WebAssembly module. Encoding: the raw bytes. */
public record ContractCode(byte[] code) implements StateValue {

    @Override
    public byte[] encode() {
        return code.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContractCode other && Arrays.equals(code, other.code);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(code);
    }
}
