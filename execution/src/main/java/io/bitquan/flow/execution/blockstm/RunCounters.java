package io.bitquan.flow.execution.blockstm;

/**
 * What one parallel run did, summed over its workers (diagnostics for benchmarks and profiling;
 * never part of a block's result).
 *
 * @param executions        VM calls
 * @param aborts            executions whose results were discarded
 * @param validations       regular validations (the paper's validation tasks)
 * @param commitValidations re-validations by the rolling commit index of a transaction at its head
 * @param dependencyWaits   suspensions on a predicted predecessor
 * @param idleRounds        times a worker found nothing to do
 * @param parks             idle rounds that ended in a timed park (after spinning and yielding)
 * @param validatedReads    reads checked by all validations
 * @param walkedReads       of those, reads whose key's write stamp had moved (the chain was walked)
 */
public record RunCounters(long executions, long aborts, long validations, long commitValidations,
                          long dependencyWaits, long idleRounds, long parks, long validatedReads, long walkedReads) {
    public static final RunCounters NONE = new RunCounters(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
