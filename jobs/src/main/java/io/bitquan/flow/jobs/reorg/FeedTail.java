package io.bitquan.flow.jobs.reorg;

import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

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
        long maxSequence = -1;
        long maxHeight = 0;
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        for (Topic topic : List.of(Topic.BLOCK_RESULTS, Topic.STATE_DIFFS, Topic.RECEIPTS)) {
            String name = topics.name(topic);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = consumer.partitionsFor(name).stream()
                        .map(p -> new TopicPartition(name, p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("could not read " + name + " to its end within " + DEADLINE);
                    }
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        byte[] v = r.value();
                        switch (topic) {
                            case BLOCK_RESULTS -> {
                                BlockResult b = AvroSingleObject.BLOCK_RESULT.decode(v);
                                maxSequence = Math.max(maxSequence, b.getSequence());
                                if (b.getChainId().equals(chainId)) {
                                    maxHeight = Math.max(maxHeight, b.getHeight());
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
