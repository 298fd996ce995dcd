package io.bitquan.flow.kafka.topics;

import io.bitquan.flow.kafka.serde.RecordLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates the catalogue's topics that do not exist yet, sized for real brokers: every topic gets
 * {@code max.message.bytes} = {@link RecordLimits#topicMaxMessageBytes()} (a broker's default
 * is about 1 MB, less than one 500-transaction ML-DSA block). Topics that already exist are
 * checked: one whose effective {@code max.message.bytes} is smaller fails with a message that
 * says which topic, what it has, what it needs and how to fix it.
 */
public final class TopicAdmin {
    private TopicAdmin() {}

    public static void createMissing(String bootstrap, TopicNames names, short replication) {
        createMissing(bootstrap, names, replication, RecordLimits.DEFAULT);
    }

    public static void createMissing(String bootstrap, TopicNames names, short replication, RecordLimits limits) {
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            List<String> present = new ArrayList<>();
            for (Map.Entry<Topic, String> e : new TreeMap<>(names.all()).entrySet()) {
                if (existing.contains(e.getValue())) {
                    present.add(e.getValue());
                } else {
                    missing.add(new NewTopic(e.getValue(), e.getKey().partitions(), replication)
                            .configs(configs(e.getKey(), limits)));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            checkSizes(admin, present, limits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics on " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Fails unless every catalogue topic exists and takes the largest record (for {@code run} without creating). */
    public static void checkExisting(String bootstrap, TopicNames names, RecordLimits limits) {
        try (Admin admin = Admin.create(adminProps(bootstrap))) {
            checkSizes(admin, new ArrayList<>(new TreeMap<>(names.all()).values()), limits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe topics on " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The configs a new topic of the catalogue gets. */
    public static Map<String, String> configs(Topic topic, RecordLimits limits) {
        Map<String, String> configs = new HashMap<>(topic.configs());
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(limits.topicMaxMessageBytes()));
        return configs;
    }

    private static void checkSizes(Admin admin, List<String> topics, RecordLimits limits)
            throws InterruptedException, ExecutionException {
        if (topics.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = new ArrayList<>();
        for (String t : topics) {
            resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t));
        }
        Map<ConfigResource, Config> described = admin.describeConfigs(resources).all().get();
        List<String> tooSmall = new ArrayList<>();
        for (ConfigResource r : resources) {
            ConfigEntry entry = described.get(r).get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
            long has = entry == null || entry.value() == null ? -1 : Long.parseLong(entry.value());
            if (has < limits.topicMaxMessageBytes()) {
                tooSmall.add(r.name() + " (max.message.bytes=" + has + ")");
            }
        }
        if (!tooSmall.isEmpty()) {
            throw new IllegalStateException("topics too small for the configured record limit of "
                    + limits.maxRecordBytes() + " bytes: " + String.join(", ", tooSmall) + "; each needs max.message.bytes >= "
                    + limits.topicMaxMessageBytes() + " (kafka-configs.sh --alter --entity-type topics --entity-name <topic> "
                    + "--add-config max.message.bytes=" + limits.topicMaxMessageBytes() + "), or lower --max-record-bytes");
        }
    }

    private static Properties adminProps(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return props;
    }
}
