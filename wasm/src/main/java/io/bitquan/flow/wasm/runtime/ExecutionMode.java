package io.bitquan.flow.wasm.runtime;

/**
 * How contract code runs. Gas is identical in both (it is charged by the instrumented wasm code
 * and by the host, never measured), so a chain may mix them across nodes.
 */
public enum ExecutionMode {
    /** Chicory's runtime compiler to JVM bytecode, once per code hash; no interpreter fallback. */
    COMPILED,
    /** Chicory's interpreter: the reference, and the fallback nobody takes silently. */
    INTERPRETED
}
