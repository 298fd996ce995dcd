package io.bitquan.flow.wasm.contracts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The example contracts shipped with the chain, loaded from the committed binaries
 * ({@code wasm/contracts/*.wat} compiled by {@code wasm/contracts/build.sh}).
 */
public enum ExampleContract {
    /** Fungible token: init(supply), transfer(to, amount), balance_of(holder). */
    TOKEN("token"),
    /** One hot slot: increment(), get(). */
    COUNTER("counter"),
    /** Constant-product pool: init(ra, rb), swap_a_for_b(in, min), swap_b_for_a(in, min), reserves(). */
    AMM("amm");

    private final String name;
    private volatile byte[] code;

    ExampleContract(String name) {
        this.name = name;
    }

    public String id() {
        return name;
    }

    /** The committed module bytes (a copy). */
    public byte[] code() {
        byte[] c = code;
        if (c == null) {
            c = load("/contracts/" + name + ".wasm");
            code = c;
        }
        return c.clone();
    }

    public static byte[] load(String resource) {
        try (InputStream in = ExampleContract.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
