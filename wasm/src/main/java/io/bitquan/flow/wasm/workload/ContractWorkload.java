package io.bitquan.flow.wasm.workload;

import java.util.Locale;

/** The contract workloads of {@code generate --workload}; each documents its conflict structure. */
public enum ContractWorkload {
    /** Token transfers among {@code --holders H} holders, uniform: two random holders conflict with probability ~2/H. */
    TOKEN("token"),
    /** Every call increments one slot of one contract: full contention, a chain of read-after-write. */
    COUNTER("counter"),
    /** Swaps on one constant-product pool: both reserves read and written by every call (a hotspot). */
    AMM("amm");

    private final String id;

    ContractWorkload(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** True for the ids this enum handles, so a CLI can route them to {@link ContractChainGenerator}. */
    public static boolean isContractWorkload(String id) {
        for (ContractWorkload w : values()) {
            if (w.id.equals(id.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    public static ContractWorkload fromId(String id) {
        for (ContractWorkload w : values()) {
            if (w.id.equals(id.toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown contract workload '" + id + "' (expected token, counter or amm)");
    }
}
