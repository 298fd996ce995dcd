package io.bitquan.flow.kafka.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.serde.RecordLimits;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topics on a real (in-process) broker: sized for the largest record, and too-small ones refused. */
class TopicAdminTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    private static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        return Admin.create(props);
    }

    @Test
    void everyCreatedTopicTakesTheLargestRecord() throws Exception {
        TopicNames names = TopicNames.prefixed("sized.");
        TopicAdmin.createMissing(kafka.bootstrapServers(), names, (short) 1);
        try (Admin admin = admin()) {
            for (String topic : names.all().values()) {
                var resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                String value = admin.describeConfigs(List.of(resource)).all().get().get(resource)
                        .get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value();
                assertThat(Integer.parseInt(value)).as(topic).isEqualTo(RecordLimits.DEFAULT.topicMaxMessageBytes());
            }
        }
        // (records at the limit and one byte over it go through a real broker in HostileInputITCase)
        // running it again finds the topics and their sizes fine
        TopicAdmin.createMissing(kafka.bootstrapServers(), names, (short) 1);
        TopicAdmin.checkExisting(kafka.bootstrapServers(), names, RecordLimits.DEFAULT);
    }

    @Test
    void anExistingTopicTooSmallForTheLimitIsAClearError() throws Exception {
        TopicNames names = TopicNames.prefixed("small.");
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(names.name(Topic.CHAIN_EVENTS), 1, (short) 1)
                    .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588")))).all().get();
        }
        assertThatThrownBy(() -> TopicAdmin.createMissing(kafka.bootstrapServers(), names, (short) 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("small.chain-events (max.message.bytes=1048588)")
                .hasMessageContaining("max.message.bytes=" + RecordLimits.DEFAULT.topicMaxMessageBytes());
        // a smaller configured limit fits the existing topic
        TopicAdmin.checkExisting(kafka.bootstrapServers(), names, new RecordLimits(512 * 1024, 1000));
    }
}
