package io.bitquan.flow.execution.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link EngineBench} measures. Every list shrinks the matrix for a quick run.
 *
 * @param workloads   workload specs (see {@link BenchWorkload#parse}); {@code +sig} rows verify
 *                    signatures inside the transaction work
 * @param sizes       transactions per block
 * @param engines     engine variants: {@code sequential} (always measured, it is the baseline),
 *                    {@code two-phase}, {@code block-stm}, and the ablations
 *                    {@code block-stm-analyzer} (with waits on predicted dependencies),
 *                    {@code block-stm-no-analyzer}, {@code block-stm-no-fallback},
 *                    {@code block-stm-no-payoff} (defaults without the payoff check),
 *                    {@code block-stm-strict} (no analyzer, no threshold, no fallback)
 * @param threads     worker thread counts for the parallel engines
 * @param warmup      untimed runs per row before measuring, or {@link #AUTO_WARMUP} ({@code --warmup auto}:
 *                    until a round adds little JIT compilation, {@link WarmUp})
 * @param reps        timed runs per row; the row reports the median
 * @param seed        generator seed
 * @param signatures  key scheme of the generated blocks ({@code ed25519} or {@code ml-dsa-65})
 * @param docsDir     where to write PERFORMANCE.md and speedup.svg, or {@code null} for none
 * @param command     the command line to print in the report (how the numbers were produced)
 */
public record EngineBenchOptions(List<String> workloads, List<Integer> sizes, List<String> engines, List<Integer> threads,
                                 int warmup, int reps, long seed, String signatures, Path docsDir, String command) {

    /** {@code --warmup auto}: each block warmed until a round adds under {@link WarmUp#QUIET_MS} of JIT compilation. */
    public static final int AUTO_WARMUP = -1;

    /** Rounds of the side measurements' warm-up (ceiling, phases, parts) under {@code --warmup auto}, which run after the warm engines. */
    static final int SIDE_WARMUP = 3;

    public static final List<String> FULL_WORKLOADS = List.of("utxo", "utxo-chained", "transfer:2", "transfer:10",
            "transfer:100", "transfer:1000", "transfer:10000", "mixed", "utxo+sig", "transfer:10000+sig", "transfer:2+sig");

    public EngineBenchOptions {
        workloads = List.copyOf(workloads);
        sizes = List.copyOf(sizes);
        engines = List.copyOf(engines);
        threads = List.copyOf(threads);
        if (workloads.isEmpty() || sizes.isEmpty() || threads.isEmpty() || reps < 1 || (warmup < 0 && warmup != AUTO_WARMUP)) {
            throw new IllegalArgumentException("need workloads, sizes, threads, reps >= 1, warmup >= 0");
        }
    }

    public boolean autoWarmup() {
        return warmup == AUTO_WARMUP;
    }

    /** The warm-up rounds of the side measurements: {@link #warmup}, or a fixed few when it is automatic. */
    public int warmupRounds() {
        return autoWarmup() ? SIDE_WARMUP : warmup;
    }

    /** The full matrix. */
    public static EngineBenchOptions full(Path docsDir, String command) {
        return new EngineBenchOptions(FULL_WORKLOADS, List.of(1000, 10000), List.of("sequential", "two-phase", "block-stm"),
                List.of(1, 2, 4), 3, 7, 42, "ed25519", docsDir, command);
    }

    /** A run of a few seconds: two workloads, small blocks. */
    public static EngineBenchOptions quick() {
        return new EngineBenchOptions(List.of("utxo", "transfer:2", "transfer:10000"), List.of(1000),
                List.of("sequential", "two-phase", "block-stm"), List.of(1, 2), 1, 3, 42, "ed25519", null, "(quick)");
    }
}
