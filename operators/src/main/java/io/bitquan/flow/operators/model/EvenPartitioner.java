package io.bitquan.flow.operators.model;

import org.apache.flink.api.common.functions.Partitioner;

/**
 * Routes a record of a stateless stage to subtask {@code index mod parallelism}
 * ({@link BlockPart#preparerIndex}, {@link CommitPart#bucketIndex}): an even spread of a block's
 * chunks and buckets, where a hash of a string key often piles one block onto one subtask.
 * Routing only; every result is independent of it.
 */
public final class EvenPartitioner implements Partitioner<Integer> {
    private static final long serialVersionUID = 1L;
    public static final EvenPartitioner INSTANCE = new EvenPartitioner();

    @Override
    public int partition(Integer index, int numPartitions) {
        return Math.floorMod(index, numPartitions);
    }
}
