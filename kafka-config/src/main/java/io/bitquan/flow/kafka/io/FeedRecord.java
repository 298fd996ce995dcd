package io.bitquan.flow.kafka.io;

import io.bitquan.flow.kafka.topics.Topic;

/**
 * One output record: which feed, the key (chain id) and the single-object encoded value. All
 * feeds go through one transactional sink, so a checkpoint publishes a block's result, diffs and
 * receipts atomically. A Flink POJO.
 */
public class FeedRecord {
    public Topic topic;
    public String key;
    public byte[] value;

    public FeedRecord() {}

    public FeedRecord(Topic topic, String key, byte[] value) {
        this.topic = topic;
        this.key = key;
        this.value = value;
    }
}
