package io.bitquan.flow.kafka.io;

import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Source and sink builders with the settings exactly-once needs:
 * <ul>
 *   <li>the source reads {@code read_committed} (upstream producers may be transactional) and
 *       hands over raw bytes with their position ({@link SourceRecord}); it never fails on a
 *       value, decoding is the job's business;</li>
 *   <li>the sink is EXACTLY_ONCE with a stable transactional-id prefix (keep it across restarts
 *       or lingering transactions block readers until they time out) and
 *       {@code transaction.timeout.ms} of 10 minutes, within the broker default maximum of 15
 *       (Flink's default of 1 hour is refused with InvalidTxnTimeout).</li>
 * </ul>
 */
public final class KafkaIo {
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);
    /** Producer batch size of the feed sink (Kafka's default: 16 KB). */
    public static final int FEED_BATCH_BYTES = 256 * 1024;
    /** Producer linger of the feed sink (Kafka 4's default: 5 ms). */
    public static final int FEED_LINGER_MS = 20;

    private KafkaIo() {}

    /**
     * @param bounded stop at the offsets that are latest when the job starts (tests, bench);
     *                otherwise follow the topic forever
     */
    public static KafkaSource<SourceRecord> chainEventSource(String bootstrap, TopicNames topics, String groupId,
                                                             boolean bounded) {
        var builder = KafkaSource.<SourceRecord>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topics.name(Topic.CHAIN_EVENTS))
                .setGroupId(groupId)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RawDeserializer())
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "-1")
                // one fetch can carry the largest legal record (records bigger than this still
                // arrive, one per fetch; the decoder dead-letters them)
                .setProperty("max.partition.fetch.bytes", String.valueOf(RecordLimits.DEFAULT.clientMaxBytes()));
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    public static KafkaSink<FeedRecord> feedSink(String bootstrap, TopicNames topics, String transactionalIdPrefix,
                                                 DeliveryGuarantee guarantee) {
        return feedSink(bootstrap, topics, transactionalIdPrefix, guarantee, java.util.Map.of());
    }

    /** The same sink with extra producer properties last (measurements: bench job --floor-producer). */
    public static KafkaSink<FeedRecord> feedSink(String bootstrap, TopicNames topics, String transactionalIdPrefix,
                                                 DeliveryGuarantee guarantee, java.util.Map<String, String> producerProperties) {
        var builder = KafkaSink.<FeedRecord>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new FeedSerializer(topics))
                .setDeliveryGuarantee(guarantee)
                .setProperty("transaction.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT.toMillis()))
                // a dead letter carries a whole rejected record plus its reason and position
                .setProperty("max.request.size", String.valueOf(RecordLimits.DEFAULT.clientMaxBytes()))
                // A block's feeds are ~1,700 small records (~220 KB) at once: 256 KB batches and a
                // 20 ms linger send them in a few produce requests instead of dozens of 16 KB ones.
                // Measured on the floor job (same run, A/B/A): 23 against 37-43 CPU us/tx. Visibility
                // is unchanged under exactly once (records are read at the checkpoint's commit).
                .setProperty("batch.size", String.valueOf(FEED_BATCH_BYTES))
                .setProperty("linger.ms", String.valueOf(FEED_LINGER_MS));
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        producerProperties.forEach(builder::setProperty);
        return builder.build();
    }

    /** Hands every record over as bytes plus its source position; never throws on content. */
    static final class RawDeserializer implements KafkaRecordDeserializationSchema<SourceRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<SourceRecord> out) {
            out.collect(new SourceRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value()));
        }

        @Override
        public TypeInformation<SourceRecord> getProducedType() {
            return TypeInformation.of(SourceRecord.class);
        }
    }

    /** Routes each {@link FeedRecord} to its topic, keyed by chain id. */
    static final class FeedSerializer implements KafkaRecordSerializationSchema<FeedRecord> {
        private static final long serialVersionUID = 1L;
        private final TopicNames topics;

        FeedSerializer(TopicNames topics) {
            this.topics = topics;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(FeedRecord element, KafkaSinkContext context, Long timestamp) {
            return new ProducerRecord<>(topics.name(element.topic), null, timestamp,
                    element.key == null ? null : element.key.getBytes(StandardCharsets.UTF_8), element.value);
        }
    }
}
