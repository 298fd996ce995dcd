package io.bitquan.flow.execution.engine;

/**
 * Counters an engine reports per block. They describe how the result was reached, never what
 * it is, so they are excluded from every determinism comparison.
 *
 * @param executions   VM calls in total (== tx count for the sequential engine)
 * @param aborts       executions whose results were thrown away (read dependency hit, or
 *                     failed validation)
 * @param validations  read-set validations performed
 * @param fallbacks    1 when the block ran on the sequential engine instead of in parallel: re-run
 *                     after an internal failure or an abandoned contended run, a block predicted
 *                     to be a chain, one worker on an unscheduled block, or a kind of block the
 *                     payoff check measured to run faster in order on this machine
 */
public record ExecutionStats(long executions, long aborts, long validations, int fallbacks) {
    public static final ExecutionStats NONE = new ExecutionStats(0, 0, 0, 0);

    public long reExecutions(int txCount) {
        return Math.max(0, executions - txCount);
    }
}
