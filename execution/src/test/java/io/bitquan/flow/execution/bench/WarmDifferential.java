package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The warm differential gate (round 15): a bench block executed many times by each parallel
 * engine, every execution compared with the sequential reference line by line. Used by
 * {@link WarmDifferentialTest} for the native workloads and by the jobs module for the contract
 * ones (their chains come from the CLI's chain source).
 */
public final class WarmDifferential {
    /** Enough executions of each engine for C2 to compile the hot paths (round 14's divergence showed by the 7th). */
    public static final int REPS = 24;
    /** The engines that run the block in parallel: fallback off first (it never hides a wrong run), then the defaults and the optimistic path. */
    public static final List<String> ENGINES = List.of("block-stm-no-fallback", "block-stm", "block-stm-optimistic");

    private WarmDifferential() {}

    /** Runs {@code spec}'s 10,000-transaction bench block (ed25519, seed 42) through every engine at 2 and 3 threads, {@link #REPS} times each. */
    public static void check(String spec, EngineBench.ChainSource source) {
        BenchBlock block = BenchBlock.of(BenchWorkload.parse(spec), 10_000, 42, SignatureScheme.ED25519, source);
        List<String> expected;
        try (SequentialEngine sequential = new SequentialEngine(block.vm())) {
            BlockOutput reference = sequential.execute(block.context(), block.txs(), block.base());
            assertThat(reference.accepted()).as(spec).isTrue();
            expected = OutputAssertions.canonical(reference);
        }
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(","));
        for (int threads : new int[] {2, 3}) {
            for (String name : ENGINES) {
                try (ExecutionEngine engine = EngineBench.create(name, threads, block.vm())) {
                    for (int rep = 0; rep < REPS; rep++) {
                        BlockOutput out = engine.execute(block.context(), block.txs(), block.base());
                        assertThat(firstDifference(OutputAssertions.canonical(out), expected))
                                .as("%s, %s at %d threads, execution %d, collectors %s", spec, name, threads, rep, collectors)
                                .isNull();
                    }
                }
            }
        }
    }

    /** The first line where {@code actual} and {@code expected} differ (with the actual violation line), or null when equal: a short message on 30,000-line outputs. */
    static String firstDifference(List<String> actual, List<String> expected) {
        for (int i = 0; i < Math.min(actual.size(), expected.size()); i++) {
            if (!actual.get(i).equals(expected.get(i))) {
                return "line " + i + ": expected " + expected.get(i) + " but was " + actual.get(i)
                        + (actual.size() > 1 ? " (" + actual.get(1) + ")" : "");
            }
        }
        return actual.size() == expected.size() ? null : "lengths " + actual.size() + " and " + expected.size();
    }
}
