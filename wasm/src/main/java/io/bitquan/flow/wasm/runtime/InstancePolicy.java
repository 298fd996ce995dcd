package io.bitquan.flow.wasm.runtime;

/**
 * Whether a thread instantiates a module afresh for every call or keeps one instance per module
 * and resets it. Both are deterministic: a reused instance is returned to its post-instantiation
 * state (memory bytes written since, every global) before the next call, and is dropped instead
 * of reused after any failed call or a memory.grow. ContractBench measures both; the faster is
 * {@link #DEFAULT}.
 */
public enum InstancePolicy {
    FRESH,
    REUSE;

    public static final InstancePolicy DEFAULT = REUSE;
}
