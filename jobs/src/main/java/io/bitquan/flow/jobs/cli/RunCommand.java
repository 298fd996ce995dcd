package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.jobs.job.ChainJob;
import io.bitquan.flow.jobs.job.JobOptions;
import io.bitquan.flow.jobs.job.KafkaChainJob;
import io.bitquan.flow.kafka.topics.TopicAdmin;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: the job against external Kafka. Submitted to a cluster (the job jar's
 * {@link ClusterEntry} under {@code flink run} or the REST API) it goes to that cluster; started
 * directly it runs on a local MiniCluster in this JVM and blocks until the job ends.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the Flink job against an external Kafka (chain-events in; block-results, state-diffs, receipts, dead-letter out).")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers HOST:PORT[,...]")
    String bootstrap;

    @Option(names = "--genesis", required = true, split = ",",
            description = "genesis of each chain served: a chain directory (genesis.avro inside) or a genesis.avro file")
    List<Path> genesis;

    @Option(names = "--topic-prefix", defaultValue = "", description = "prefix for every topic name")
    String topicPrefix;

    @Option(names = "--create-topics", description = "create missing topics first (replication factor --replication)")
    boolean createTopics;

    @Option(names = "--replication", defaultValue = "3")
    short replication;

    @Option(names = "--group", defaultValue = "bitquan-flow", description = "consumer group id (default ${DEFAULT-VALUE})")
    String group;

    @Option(names = "--bounded", description = "stop at the end of what chain-events holds when the job starts")
    boolean bounded;

    @Option(names = "--web-ui-port", defaultValue = "0", description = "local runs only: Web UI port (0 = none)")
    int webUiPort;

    @Option(names = "--assume-valid", split = ",", paramLabel = "<block id>",
            description = "skip signature checks of this block (64 hex digits, a header id; one per chain) and its ancestors, found by a header scan of chain-events (or --assume-valid-headers) before the job starts; everything else is checked (docs/ASSUME-VALID.md)")
    List<String> assumeValid;

    @Option(names = "--assume-valid-headers", paramLabel = "<chain dir>",
            description = "take the known headers from this chain directory instead of scanning chain-events")
    Path assumeValidHeaders;

    @Mixin
    JobFlags flags = new JobFlags();

    @Override
    public Integer call() throws Exception {
        List<Genesis> chains = Chains.readGeneses(genesis);
        JobOptions options = flags.toOptions();
        options.consumerGroup = group;
        options.webUiPort = webUiPort;
        TopicNames topics = TopicNames.prefixed(topicPrefix);
        if (createTopics) {
            TopicAdmin.createMissing(bootstrap, topics, replication);
        }
        if (assumeValid != null) {
            List<byte[]> ids = AssumeValidScan.parse(assumeValid);
            if (assumeValidHeaders != null) {
                options.assumeValid = AssumeValidScan.resolve(AssumeValidScan.fromChainDir(assumeValidHeaders), ids,
                        assumeValidHeaders.toString(), System.err);
            } else {
                options.assumeValid = AssumeValidScan.resolve(AssumeValidScan.fromTopic(bootstrap, topics,
                        ChainCatalog.of(chains).chains()), ids, topics.name(io.bitquan.flow.kafka.topics.Topic.CHAIN_EVENTS), System.err);
            }
        } else if (assumeValidHeaders != null) {
            throw new Main.UserError("--assume-valid-headers needs --assume-valid");
        }
        ChainJob job = KafkaChainJob.create(bootstrap, topics, ChainCatalog.of(chains), options, bounded);
        StreamExecutionEnvironment env = ChainJob.environment(options);
        job.build(env);
        env.execute("bitquan-flow " + String.join(",", ChainCatalog.of(chains).chains()));
        return 0;
    }
}
