package io.bitquan.flow.wasm.module;

/** Chain-wide caps on what a contract module may declare and do. Consensus constants. */
public final class Limits {
    private Limits() {}

    /** Largest module accepted for deploy (bytes of the submitted code). */
    public static final int MAX_CODE_BYTES = 64 * 1024;
    /** Linear memory cap in 64 KiB pages (1 MiB); the module's maximum becomes min(declared, cap). */
    public static final int MAX_MEMORY_PAGES = 16;
    /** Maximum wasm call depth, enforced by instrumentation (not by the JVM stack). */
    public static final int MAX_CALL_DEPTH = 64;
    /** Locals per function (params included): bounds the JVM frame size under the compiler. */
    public static final int MAX_LOCALS = 256;
    public static final int MAX_FUNCTIONS = 1024;
    public static final int MAX_GLOBALS = 256;
    public static final int MAX_TABLE_SIZE = 1024;
    public static final int MAX_TYPES = 256;
    /** Highest gas limit a transaction may declare. */
    public static final long MAX_GAS_LIMIT = 1_000_000_000L;
    public static final int MAX_STORAGE_VALUE_BYTES = 4096;
    public static final int MAX_EVENT_BYTES = 1024;
    public static final int MAX_EVENTS = 64;
    public static final int MAX_RETURN_BYTES = 1024;
    public static final int MAX_INPUT_BYTES = 16 * 1024;
}
