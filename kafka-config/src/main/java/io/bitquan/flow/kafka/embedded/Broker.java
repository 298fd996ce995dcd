package io.bitquan.flow.kafka.embedded;

import io.bitquan.flow.kafka.topics.TopicNames;

/** A Kafka broker for the demo, the bench and the tests: in this JVM ({@link EmbeddedKafka}) or in its own ({@link BrokerProcess}). */
public interface Broker extends AutoCloseable {
    String bootstrapServers();

    /** Creates the catalogue's topics (replication factor 1). */
    Broker createTopics(TopicNames names);

    /** CPU seconds the broker used so far when it runs in its own process, else NaN (its threads are this JVM's). */
    default double processCpuSeconds() {
        return Double.NaN;
    }

    @Override
    void close();
}
