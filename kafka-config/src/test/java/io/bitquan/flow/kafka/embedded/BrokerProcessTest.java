package io.bitquan.flow.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicAdmin;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.kafka.serde.RecordLimits;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/** The broker in its own JVM serves this one, and stops when closed. */
class BrokerProcessTest {

    @Test
    void servesTopicsAndStopsOnClose() throws Exception {
        String bootstrap;
        try (BrokerProcess broker = BrokerProcess.start()) {
            bootstrap = broker.bootstrapServers();
            TopicNames names = TopicNames.prefixed("bp.");
            broker.createTopics(names);
            TopicAdmin.checkExisting(bootstrap, names, RecordLimits.DEFAULT); // throws if a topic is missing or misconfigured
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                assertThat(admin.listTopics().names().get()).contains(names.name(Topic.CHAIN_EVENTS));
            }
            assertThat(broker.processCpuSeconds()).isGreaterThan(0.0);
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");
        try (Admin admin = Admin.create(props)) {
            assertThat(admin.listTopics().names()).failsWithin(java.time.Duration.ofSeconds(30));
        }
    }
}
