package io.bitquan.flow.wasm.runtime;

/**
 * Receipt status strings of contract transactions (an interface: never rename one). A status is
 * hashed into the receipts root, so it comes from this fixed vocabulary: constants, a trap
 * reason from {@code TrapReason}'s fixed list, our own validator's deterministic reason after
 * {@link #INVALID_MODULE_PREFIX}, a contract's revert data, or the called method's name (at most
 * 256 chars, checked at the validation boundary). Never the text of a library's exception.
 */
public final class Status {
    private Status() {}

    public static final String OK = "ok";
    public static final String OUT_OF_GAS = "out-of-gas";
    public static final String DEPTH = "call-depth-exceeded";
    public static final String REVERT_PREFIX = "revert: ";
    public static final String TRAP_PREFIX = "trap: ";
    public static final String INVALID_MODULE_PREFIX = "invalid-module: ";
    /** Chicory's parser, validator or compiler refused a module our validation let through. */
    public static final String ENGINE_REJECTED_MODULE = INVALID_MODULE_PREFIX + "rejected by the wasm engine";
    public static final String NO_CONTRACT = "no-contract";
    public static final String NO_METHOD_PREFIX = "no-method: ";
    public static final String INSUFFICIENT_VALUE = "insufficient-value";
    public static final String INPUT_TOO_LARGE = "input-too-large";
    public static final String ADDRESS_TAKEN = "address-taken";
}
