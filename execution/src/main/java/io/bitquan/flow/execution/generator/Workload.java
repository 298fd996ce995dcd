package io.bitquan.flow.execution.generator;

import java.util.Locale;

/** The generated transaction mixes; each documents its conflict structure. */
public enum Workload {
    /** Independent UTXO spends: no two transactions of a block touch the same key. */
    UTXO("utxo"),
    /** UTXO chains of 2..8 transactions, each spending an output the previous one created. */
    UTXO_CHAINED("utxo-chained"),
    /** Account transfers over --accounts accounts, senders and recipients Zipf-skewed. */
    TRANSFER("transfer"),
    /**
     * About 60% independent UTXO spends; the rest are account transfers whose endpoints hit a
     * 10% hot set with probability 0.3 each (the star-shaped conflicts measured on Ethereum).
     */
    MIXED("mixed");

    private final String id;

    Workload(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Workload fromId(String id) {
        for (Workload w : values()) {
            if (w.id.equals(id.toLowerCase(Locale.ROOT))) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown workload '" + id + "' (expected utxo, utxo-chained, transfer or mixed)");
    }
}
