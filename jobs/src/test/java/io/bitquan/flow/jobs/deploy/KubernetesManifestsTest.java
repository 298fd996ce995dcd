package io.bitquan.flow.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.bitquan.flow.jobs.cli.ClusterEntry;
import io.bitquan.flow.jobs.cli.RunFlagsProbe;
import io.bitquan.flow.jobs.job.JobOptions;
import io.bitquan.flow.kafka.topics.Topic;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * deploy/kubernetes, checked without a cluster: every document parses and names itself; the
 * FlinkDeployment's Flink keys are real options with parseable values, its job arguments are
 * flags the job jar's entry class accepts, and it agrees with them on the state directories;
 * the Strimzi topics are exactly the topic catalogue.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("..", "deploy", "kubernetes");
    /** Keys read by the operator or by plugins, not by Flink's option classes. */
    private static final List<String> FOREIGN_PREFIXES = List.of("kubernetes.operator.", "metrics.reporter.");
    private static final List<Map<String, Object>> DOCS = new ArrayList<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(f))) {
                    assertThat(doc).as(f.toString()).isInstanceOf(Map.class);
                    DOCS.add((Map<String, Object>) doc);
                }
            }
        }
        assertThat(DOCS).extracting(d -> d.get("kind"))
                .contains("FlinkDeployment", "Kafka", "KafkaNodePool", "KafkaTopic", "PodMonitor", "PrometheusRule", "Namespace");
    }

    @Test
    void everyDocumentHasApiVersionKindNameAndNamespace() {
        for (Map<String, Object> d : DOCS) {
            assertThat(d).containsKeys("apiVersion", "kind", "metadata");
            Map<String, Object> meta = map(d, "metadata");
            assertThat(meta).as("%s", d.get("kind")).containsKey("name");
            if (!"Namespace".equals(d.get("kind"))) {
                assertThat(meta.get("namespace")).as("%s %s", d.get("kind"), meta.get("name")).isEqualTo("bitquan");
            }
        }
    }

    @Test
    void flinkDeploymentRunsTheJobJarInApplicationModeWithSavepointUpgrades() {
        Map<String, Object> spec = map(only("FlinkDeployment"), "spec");
        Map<String, Object> job = map(spec, "job");
        assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/bitquan-flow-job.jar");
        assertThat(job.get("entryClass")).isEqualTo(ClusterEntry.class.getName());
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        assertThat(job.get("state")).isEqualTo("running");
        assertThat(spec).containsKeys("image", "flinkVersion", "jobManager", "taskManager", "serviceAccount");
        assertThat(map(map(spec, "taskManager"), "resource")).containsKeys("cpu", "memory");
        assertThat(map(map(spec, "jobManager"), "resource")).containsKeys("cpu", "memory");
    }

    @Test
    void flinkConfigurationKeysAreRealFlinkOptionsWithValidValues() throws IllegalAccessException {
        Map<String, ConfigOption<?>> known = knownOptions();
        Map<String, String> conf = new HashMap<>();
        map(map(only("FlinkDeployment"), "spec"), "flinkConfiguration").forEach((k, v) -> conf.put(k, String.valueOf(v)));
        Configuration parsed = Configuration.fromMap(conf);
        for (Map.Entry<String, String> e : conf.entrySet()) {
            if (FOREIGN_PREFIXES.stream().anyMatch(e.getKey()::startsWith)) {
                continue;
            }
            ConfigOption<?> option = known.get(e.getKey());
            assertThat(option).as("unknown Flink key %s", e.getKey()).isNotNull();
            assertThatCode(() -> parsed.get(option)).as("value of %s", e.getKey()).doesNotThrowAnyException();
        }
        assertThat(conf).containsEntry("state.backend.type", "rocksdb")
                .containsEntry("execution.checkpointing.incremental", "true")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION")
                .containsEntry("restart-strategy.type", "exponential-delay")
                .containsKey("execution.checkpointing.dir")
                .containsKey("execution.checkpointing.savepoint-dir")
                .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
    }

    @Test
    @SuppressWarnings("unchecked")
    void jobArgumentsAreValidRunFlagsAgreeingWithTheClusterConfiguration() {
        Map<String, Object> spec = map(only("FlinkDeployment"), "spec");
        List<String> args = ((List<Object>) map(spec, "job").get("args")).stream().map(String::valueOf).toList();
        JobOptions options = RunFlagsProbe.parse(args.toArray(String[]::new));
        Map<String, Object> conf = map(spec, "flinkConfiguration");
        assertThat(options.checkpointDir).isEqualTo(conf.get("execution.checkpointing.dir"));
        assertThat(options.savepointDir).isEqualTo(conf.get("execution.checkpointing.savepoint-dir"));
        assertThat(options.parallelism).isEqualTo(map(spec, "job").get("parallelism"));
        assertThat(options.exactlyOnce).isTrue();
    }

    @Test
    void kafkaTopicsAreTheTopicCatalogue() {
        Map<String, Map<String, Object>> topics = new HashMap<>();
        for (Map<String, Object> d : DOCS) {
            if ("KafkaTopic".equals(d.get("kind"))) {
                topics.put(String.valueOf(map(d, "metadata").get("name")), map(d, "spec"));
            }
        }
        assertThat(topics.keySet()).containsExactlyInAnyOrder(Stream.of(Topic.values()).map(Topic::defaultName).toArray(String[]::new));
        for (Topic t : Topic.values()) {
            Map<String, Object> spec = topics.get(t.defaultName());
            assertThat(spec.get("partitions")).as(t.defaultName()).isEqualTo(t.partitions());
            Map<String, Object> config = map(spec, "config");
            t.configs().forEach((k, v) -> assertThat(String.valueOf(config.get(k))).as("%s %s", t.defaultName(), k).isEqualTo(v));
        }
        Map<String, Object> kafkaConfig = map(map(map(only("Kafka"), "spec"), "kafka"), "config");
        // the job's transactions (15 min timeout) must fit the broker's maximum
        assertThat(((Number) kafkaConfig.get("transaction.max.timeout.ms")).longValue()).isGreaterThanOrEqualTo(900_000L);
    }

    @Test
    void alertsUseTheMetricsTheJobRegisters() {
        String rules = String.valueOf(map(only("PrometheusRule"), "spec"));
        for (String metric : List.of("chain_divergences", "chain_blocksBehind", "chain_tipHeight", "chain_lastBlockLatencyMillis",
                "chain_deadLetters", "checkpointAgeMillis")) {
            assertThat(rules).contains("flink_taskmanager_job_task_operator_" + metric);
        }
    }

    private static Map<String, Object> only(String kind) {
        List<Map<String, Object>> found = DOCS.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        assertThat(v).as(key).isInstanceOf(Map.class);
        return (Map<String, Object>) v;
    }

    /** Every option (and fallback key) declared by the Flink option classes the manifest draws on. */
    private static Map<String, ConfigOption<?>> knownOptions() throws IllegalAccessException {
        Map<String, ConfigOption<?>> known = new HashMap<>();
        for (Class<?> c : List.of(CheckpointingOptions.class, StateBackendOptions.class, RestartStrategyOptions.class,
                HighAvailabilityOptions.class, TaskManagerOptions.class, JobManagerOptions.class, HeartbeatManagerOptions.class,
                PipelineOptions.class, CoreOptions.class, StateRecoveryOptions.class)) {
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    ConfigOption<?> o = (ConfigOption<?>) f.get(null);
                    known.put(o.key(), o);
                    for (FallbackKey k : o.fallbackKeys()) {
                        known.put(k.getKey(), o);
                    }
                }
            }
        }
        return known;
    }
}
