package io.bitquan.flow.kafka.io;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic from the beginning to the end offsets taken when the scan starts
 * (read_committed, no group, nothing committed): what a client does before it submits a job, to
 * learn what is already in a topic (the feeds' tail before a reorg-restore, the headers for
 * assume-valid). Records published after the scan started are not read, so it always ends.
 */
public final class TopicScan {
    private TopicScan() {}

    /**
     * Calls {@code onValue} with every record value, partition by partition in offset order.
     *
     * @param maxRecordBytes the largest record the topic may hold (the consumer's fetch size)
     * @param deadline       how long the scan may take before it fails with an {@link IOException}
     */
    public static void read(String bootstrap, String topic, int maxRecordBytes, Duration deadline,
                            Consumer<byte[]> onValue) throws IOException {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(maxRecordBytes));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long until = System.nanoTime() + deadline.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > until) {
                    throw new IOException("could not read " + topic + " to its end within " + deadline);
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    onValue.accept(r.value());
                }
            }
        }
    }
}
