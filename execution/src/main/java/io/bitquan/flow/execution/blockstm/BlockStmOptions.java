package io.bitquan.flow.execution.blockstm;

/**
 * Block-STM knobs.
 *
 * @param threads                   worker threads (the pool is created once with this many)
 * @param serialThreshold           blocks with fewer transactions run on the sequential engine
 *                                  directly (thread hand-off costs more than it saves); 0 = never
 * @param contentionFallback        run the block sequentially when the analyzer predicts too little
 *                                  parallelism, and abandon a parallel run whose aborts exceed a
 *                                  budget (then re-run sequentially, {@code fallbacks = 1})
 * @param useAnalyzer               wait for predicted predecessors before executing, so known
 *                                  dependencies cost a suspension instead of an abort
 * @param sequentialFallbackOnError an {@link InvariantViolation} (or any other internal failure)
 *                                  re-executes the block sequentially instead of propagating;
 *                                  OFF in tests so bugs surface
 * @param commutativeCredits        record a credit to an account the transaction has not read
 *                                  (a transfer's recipient) as a delta resolved in block order,
 *                                  instead of a read-modify-write; same results, fewer conflicts
 * @param contentionWaits           when the contention fallback is off and the block is predicted
 *                                  to be (nearly) one dependency chain, wait for predicted
 *                                  predecessors as {@code useAnalyzer} does, for that block only:
 *                                  the engine then handles full contention itself instead of
 *                                  aborting on almost every transaction
 * @param predictedSchedule         when every transaction's access set is predicted completely
 *                                  (transfers, UTXO spends, coinbases), run the block on the
 *                                  predicted dependency graph instead of optimistically: each
 *                                  transaction once, after its predecessors on its keys, with no
 *                                  multi-version memory and no validation; a transaction touching
 *                                  an unpredicted key voids that run and the block runs
 *                                  optimistically ({@code io.bitquan.flow.execution.dag})
 * @param payoffCheck               with two or more threads and the contention fallback on, run a
 *                                  kind of block (scheduled or optimistic) in order on the calling
 *                                  thread when this engine's recent parallel runs of that kind cost
 *                                  more per transaction than its recent in-order runs, probing the
 *                                  other way now and then ({@link ParallelPayoff}); counted as a
 *                                  fallback. Same result either way: only wall time depends on it
 */
public record BlockStmOptions(int threads, int serialThreshold, boolean contentionFallback, boolean useAnalyzer,
                              boolean sequentialFallbackOnError, boolean commutativeCredits, boolean contentionWaits,
                              boolean predictedSchedule, boolean payoffCheck) {
    /**
     * Measured at 2 threads with every shortcut off: native blocks of 8..256 transactions ran at
     * 0.2-0.8x of sequential, and even with signature verification inside each transaction
     * (~70 us) blocks of 8..64 ran at 0.8-0.94x. Below this size the hand-off and bookkeeping
     * cannot pay for themselves.
     */
    public static final int DEFAULT_SERIAL_THRESHOLD = 128;

    /** Options without the payoff check: an explicit configuration runs exactly the paths it names. */
    public BlockStmOptions(int threads, int serialThreshold, boolean contentionFallback, boolean useAnalyzer,
                           boolean sequentialFallbackOnError, boolean commutativeCredits, boolean contentionWaits,
                           boolean predictedSchedule) {
        this(threads, serialThreshold, contentionFallback, useAnalyzer, sequentialFallbackOnError, commutativeCredits,
                contentionWaits, predictedSchedule, false);
    }

    public BlockStmOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (serialThreshold < 0) {
            throw new IllegalArgumentException("serialThreshold must be >= 0, got " + serialThreshold);
        }
    }

    /**
     * What a node runs: serial threshold, contention fallback and the safety fallback on; waits on
     * predicted dependencies off. Measured (docs/PERFORMANCE.md): the waits remove every abort
     * but cost more wall time than the aborts they save when transactions are light (2 threads,
     * 10,000-tx blocks, committed table: utxo-chained 0.65x with waits vs 0.89x without, transfer
     * over 1,000 accounts 0.36x vs 0.52x, mixed 0.93x vs 1.16x; transfer over 10,000 accounts
     * varies between runs, 0.46-0.52x with waits vs 0.43-0.72x without). The payoff check on:
     * a kind of block that measured slower in parallel than in order on this machine runs in order.
     */
    public static BlockStmOptions defaults(int threads) {
        return new BlockStmOptions(threads, DEFAULT_SERIAL_THRESHOLD, true, false, true, true, true, true, true);
    }

    /** Pure Block-STM for tests: no shortcuts, no fallback, so every block exercises the parallel path. */
    public static BlockStmOptions strict(int threads, boolean useAnalyzer) {
        return new BlockStmOptions(threads, 0, false, useAnalyzer, false, true, false, false, false);
    }

    public BlockStmOptions withSerialThreshold(int n) {
        return new BlockStmOptions(threads, n, contentionFallback, useAnalyzer, sequentialFallbackOnError, commutativeCredits, contentionWaits, predictedSchedule, payoffCheck);
    }

    public BlockStmOptions withContentionFallback(boolean on) {
        return new BlockStmOptions(threads, serialThreshold, on, useAnalyzer, sequentialFallbackOnError, commutativeCredits, contentionWaits, predictedSchedule, payoffCheck);
    }

    public BlockStmOptions withAnalyzer(boolean on) {
        return new BlockStmOptions(threads, serialThreshold, contentionFallback, on, sequentialFallbackOnError, commutativeCredits, contentionWaits, predictedSchedule, payoffCheck);
    }

    public BlockStmOptions withCommutativeCredits(boolean on) {
        return new BlockStmOptions(threads, serialThreshold, contentionFallback, useAnalyzer, sequentialFallbackOnError, on, contentionWaits, predictedSchedule, payoffCheck);
    }

    public BlockStmOptions withContentionWaits(boolean on) {
        return new BlockStmOptions(threads, serialThreshold, contentionFallback, useAnalyzer, sequentialFallbackOnError,
                commutativeCredits, on, predictedSchedule, payoffCheck);
    }

    public BlockStmOptions withSequentialFallbackOnError(boolean on) {
        return new BlockStmOptions(threads, serialThreshold, contentionFallback, useAnalyzer, on, commutativeCredits, contentionWaits, predictedSchedule, payoffCheck);
    }

    public BlockStmOptions withPredictedSchedule(boolean on) {
        return new BlockStmOptions(threads, serialThreshold, contentionFallback, useAnalyzer, sequentialFallbackOnError,
                commutativeCredits, contentionWaits, on, payoffCheck);
    }

    public BlockStmOptions withPayoffCheck(boolean on) {
        return new BlockStmOptions(threads, serialThreshold, contentionFallback, useAnalyzer, sequentialFallbackOnError,
                commutativeCredits, contentionWaits, predictedSchedule, on);
    }
}
