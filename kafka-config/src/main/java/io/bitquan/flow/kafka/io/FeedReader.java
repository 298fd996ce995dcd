package io.bitquan.flow.kafka.io;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.bitquan.flow.kafka.serde.RecordLimits;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A read_committed consumer of one feed topic from the beginning: what an indexer sees. Used by
 * the demo, the bench and the tests. Not thread-safe.
 */
public final class FeedReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;

    public FeedReader(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(RecordLimits.DEFAULT.clientMaxBytes()));
        consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        var partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Whatever arrived within {@code timeout} (possibly nothing). */
    public List<byte[]> poll(Duration timeout) {
        List<byte[]> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            out.add(r.value());
        }
        return out;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
