package io.bitquan.flow.wasm.runtime;

/**
 * Whether a thread instantiates a module afresh for every call or keeps one instance per module
 * and resets it. Both are deterministic: a reused instance is returned to its post-instantiation
 * state (memory bytes written since, every global) before the next call. It is dropped instead
 * after a memory.grow, and, under the interpreter (whose machine keeps its stacks), after any call
 * that did not return normally. ContractBench measures both; the faster is
 * {@link #DEFAULT}.
 */
public enum InstancePolicy {
    FRESH,
    REUSE;

    public static final InstancePolicy DEFAULT = REUSE;
}
