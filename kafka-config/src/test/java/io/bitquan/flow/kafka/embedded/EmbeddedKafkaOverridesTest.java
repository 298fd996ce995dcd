package io.bitquan.flow.kafka.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Only -Dbitquan.broker.* properties become broker settings, without their prefix, in key order. */
class EmbeddedKafkaOverridesTest {

    @Test
    void takesOnlyPrefixedPropertiesWithoutThePrefix() {
        Properties p = new Properties();
        p.setProperty("bitquan.broker.num.network.threads", "1");
        p.setProperty("bitquan.broker.num.io.threads", "2");
        p.setProperty("bitquan.broker.", "ignored: no key");
        p.setProperty("num.io.threads", "8");
        p.setProperty("java.version", "17");
        assertThat(EmbeddedKafka.overrides(p)).containsExactly(
                java.util.Map.entry("num.io.threads", "2"), java.util.Map.entry("num.network.threads", "1"));
    }
}
