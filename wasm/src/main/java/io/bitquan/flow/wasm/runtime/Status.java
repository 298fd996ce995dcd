package io.bitquan.flow.wasm.runtime;

/** Receipt status strings of contract transactions (an interface: never rename one). */
public final class Status {
    private Status() {}

    public static final String OK = "ok";
    public static final String OUT_OF_GAS = "out-of-gas";
    public static final String DEPTH = "call-depth-exceeded";
    public static final String REVERT_PREFIX = "revert: ";
    public static final String TRAP_PREFIX = "trap: ";
    public static final String INVALID_MODULE_PREFIX = "invalid-module: ";
    public static final String NO_CONTRACT = "no-contract";
    public static final String NO_METHOD_PREFIX = "no-method: ";
    public static final String INSUFFICIENT_VALUE = "insufficient-value";
    public static final String INPUT_TOO_LARGE = "input-too-large";
    public static final String ADDRESS_TAKEN = "address-taken";
}
