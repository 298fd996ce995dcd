package io.bitquan.flow.jobs.reorg;

import io.bitquan.flow.kafka.io.TopicScan;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/**
 * What the feeds already published (read_committed, from the beginning to the end offsets taken
 * when it starts, so a slow first fetch can never look like an empty topic): the highest feed
 * sequence number of any chain (a restore rewinds every chain the job serves, and each continues
 * above it, so no number is ever reused) and the highest block height the forked chain reached
 * (the depth of the reorg being repaired).
 */
public record FeedTail(long maxSequence, long maxHeight) {
    private static final Duration DEADLINE = Duration.ofMinutes(5);

    public static FeedTail read(String bootstrap, TopicNames topics, String chainId) throws IOException {
        long[] seen = {-1, 0}; // max sequence (all chains), max height (this chain)
        try {
            for (Topic topic : List.of(Topic.BLOCK_RESULTS, Topic.STATE_DIFFS, Topic.RECEIPTS)) {
                TopicScan.read(bootstrap, topics.name(topic), 16 * 1024 * 1024, DEADLINE, v -> {
                    switch (topic) {
                        case BLOCK_RESULTS -> {
                            BlockResult b = decode(AvroSingleObject.BLOCK_RESULT, v);
                            seen[0] = Math.max(seen[0], b.getSequence());
                            if (b.getChainId().equals(chainId)) {
                                seen[1] = Math.max(seen[1], b.getHeight());
                            }
                        }
                        case STATE_DIFFS -> seen[0] = Math.max(seen[0], decode(AvroSingleObject.STATE_DIFF, v).getSequence());
                        default -> seen[0] = Math.max(seen[0], decode(AvroSingleObject.RECEIPT, v).getSequence());
                    }
                });
            }
        } catch (UncheckedIOException broken) {
            throw broken.getCause();
        }
        return new FeedTail(seen[0], seen[1]);
    }

    /** Feeds are written by the job alone: a record that does not decode is a broken topic, not input to skip. */
    private static <T extends SpecificRecord> T decode(AvroSingleObject<T> codec, byte[] value) {
        try {
            return codec.decode(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
