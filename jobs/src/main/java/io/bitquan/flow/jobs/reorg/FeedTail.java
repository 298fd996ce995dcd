package io.bitquan.flow.jobs.reorg;

import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * What the feeds already published (read_committed, from the beginning): the highest feed
 * sequence number (a restored job continues above it, so no number is ever reused) and the
 * highest block height the chain reached (the depth of the reorg being repaired).
 */
public record FeedTail(long maxSequence, long maxHeight) {

    public static FeedTail read(String bootstrap, TopicNames topics, String chainId) throws IOException {
        long maxSequence = -1;
        long maxHeight = 0;
        for (Topic topic : List.of(Topic.BLOCK_RESULTS, Topic.STATE_DIFFS, Topic.RECEIPTS)) {
            try (FeedReader reader = new FeedReader(bootstrap, topics.name(topic))) {
                List<byte[]> batch;
                while (!(batch = reader.poll(Duration.ofSeconds(1))).isEmpty()) {
                    for (byte[] v : batch) {
                        switch (topic) {
                            case BLOCK_RESULTS -> {
                                BlockResult r = AvroSingleObject.BLOCK_RESULT.decode(v);
                                if (r.getChainId().equals(chainId)) {
                                    maxSequence = Math.max(maxSequence, r.getSequence());
                                    maxHeight = Math.max(maxHeight, r.getHeight());
                                }
                            }
                            case STATE_DIFFS -> maxSequence = Math.max(maxSequence, AvroSingleObject.STATE_DIFF.decode(v).getSequence());
                            default -> maxSequence = Math.max(maxSequence, AvroSingleObject.RECEIPT.decode(v).getSequence());
                        }
                    }
                }
            }
        }
        return new FeedTail(maxSequence, maxHeight);
    }
}
