package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.generator.Workload;

/**
 * One benchmark workload: a generator mix, its account count (contention for transfers), and
 * whether signature verification is part of each transaction's work. Spec syntax:
 * {@code utxo}, {@code utxo-chained}, {@code transfer:10000}, {@code mixed}, any of them with
 * {@code +sig} appended (e.g. {@code transfer:10000+sig}).
 */
public record BenchWorkload(Workload workload, int accounts, boolean signatures) {
    public static final int DEFAULT_ACCOUNTS = 1000;

    public static BenchWorkload parse(String spec) {
        String s = spec.trim();
        boolean sig = s.endsWith("+sig");
        if (sig) {
            s = s.substring(0, s.length() - 4);
        }
        int colon = s.indexOf(':');
        Workload w = Workload.fromId(colon < 0 ? s : s.substring(0, colon));
        int accounts = colon < 0 ? DEFAULT_ACCOUNTS : Integer.parseInt(s.substring(colon + 1));
        return new BenchWorkload(w, accounts, sig);
    }

    public String label() {
        String base = workload == Workload.TRANSFER ? "transfer/" + accounts : workload.id();
        return signatures ? base + " +sig" : base;
    }
}
