package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.generator.Workload;

/**
 * One benchmark workload: a generator workload id, its account count (contention for transfers;
 * holders for contract workloads), and whether signature verification is part of each
 * transaction's work. Spec syntax: {@code utxo}, {@code utxo-chained}, {@code transfer:10000},
 * {@code mixed}, contract workloads such as {@code token:100} or {@code amm} (when the bench is
 * given a {@link EngineBench.ChainSource} that knows them), any of them with {@code +sig}
 * appended (e.g. {@code transfer:10000+sig}).
 */
public record BenchWorkload(String id, int accounts, boolean signatures) {
    public static final int DEFAULT_ACCOUNTS = 1000;

    public static BenchWorkload parse(String spec) {
        String s = spec.trim();
        boolean sig = s.endsWith("+sig");
        if (sig) {
            s = s.substring(0, s.length() - 4);
        }
        int colon = s.indexOf(':');
        String id = colon < 0 ? s : s.substring(0, colon);
        int accounts = colon < 0 ? DEFAULT_ACCOUNTS : Integer.parseInt(s.substring(colon + 1));
        return new BenchWorkload(id, accounts, sig);
    }

    /** The native generator workload, or {@code null} for workloads another module provides. */
    public Workload nativeWorkload() {
        for (Workload w : Workload.values()) {
            if (w.id().equals(id)) {
                return w;
            }
        }
        return null;
    }

    public String label() {
        boolean perAccount = "transfer".equals(id) || nativeWorkload() == null;
        String base = perAccount ? id + "/" + accounts : id;
        return signatures ? base + " +sig" : base;
    }
}
