package io.bitquan.flow.kafka.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the catalogue's topics that do not exist yet. */
public final class TopicAdmin {
    private TopicAdmin() {}

    public static void createMissing(String bootstrap, TopicNames names, short replication) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Map.Entry<Topic, String> e : names.all().entrySet()) {
                if (!existing.contains(e.getValue())) {
                    missing.add(new NewTopic(e.getValue(), e.getKey().partitions(), replication).configs(e.getKey().configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topics on " + bootstrap + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
