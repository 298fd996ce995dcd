package io.bitquan.flow.kafka.embedded;

import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.kafka.topics.TopicAdmin;
import io.bitquan.flow.kafka.topics.TopicNames;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * An in-process single-node KRaft cluster (combined broker + controller) for the demo and the
 * tests: loopback listener on a free port, data in a temp directory deleted on close, internal
 * topics (offsets, transaction state) with replication factor 1 and min ISR 1 so that
 * transactions work on one node. Starts in about two seconds.
 */
public final class EmbeddedKafka implements Broker {
    private final KafkaClusterTestKit cluster;
    private final Path dir;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path dir) {
        this.cluster = cluster;
        this.dir = dir;
    }

    public static EmbeddedKafka start() {
        try {
            Path dir = Files.createTempDirectory("bitquan-kafka");
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .setBaseDirectory(dir)
                    .build();
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("message.max.bytes", String.valueOf(RecordLimits.DEFAULT.topicMaxMessageBytes()))
                    .setConfigProp("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE))
                    .setDeleteOnClose(true);
            overrides(System.getProperties()).forEach(builder::setConfigProp);
            KafkaClusterTestKit cluster = builder.build();
            // Kafka's storage formatter prints to System.out; keep stdout for the caller's output
            PrintStream stdout = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            try {
                cluster.format();
                cluster.startup();
            } finally {
                System.setOut(stdout);
            }
            cluster.waitForReadyBrokers();
            return new EmbeddedKafka(cluster, dir);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the embedded Kafka broker: " + e.getMessage(), e);
        }
    }

    /** Prefix of system properties that override a broker setting (measurements only, e.g. -Dbitquan.broker.num.io.threads=2). */
    public static final String OVERRIDE_PREFIX = "bitquan.broker.";

    /**
     * Broker settings given as {@code -Dbitquan.broker.<kafka key>=<value>}, applied after the
     * defaults above: lets a benchmark A/B broker threads ({@code num.io.threads},
     * {@code num.network.threads}) without a rebuild. Sorted by key, so the same flags give the same
     * broker.
     */
    static java.util.SortedMap<String, String> overrides(java.util.Properties properties) {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(OVERRIDE_PREFIX) && name.length() > OVERRIDE_PREFIX.length()) {
                out.put(name.substring(OVERRIDE_PREFIX.length()), properties.getProperty(name));
            }
        }
        return out;
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates the catalogue's topics (replication factor 1). */
    @Override
    public EmbeddedKafka createTopics(TopicNames names) {
        TopicAdmin.createMissing(bootstrapServers(), names, (short) 1);
        return this;
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the embedded Kafka broker", e);
        } finally {
            dir.toFile().delete();
        }
    }
}
