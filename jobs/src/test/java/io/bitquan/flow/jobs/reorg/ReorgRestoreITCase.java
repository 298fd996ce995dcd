package io.bitquan.flow.jobs.reorg;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.jobs.cli.Main;
import io.bitquan.flow.jobs.job.BlockResults;
import io.bitquan.flow.jobs.job.JobOptions;
import io.bitquan.flow.jobs.job.KafkaChainJob;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reorg deeper than the undo window, repaired with {@code reorg-restore} from a real savepoint:
 * a session MiniCluster reached only through its REST endpoint (as a standalone cluster is), an
 * embedded Kafka broker, undo window 2 and a 3-block side branch. The job rejects the third
 * disconnect naming the command; {@code savepoint} took a catalogued savepoint at height 5;
 * {@code reorg-restore --fork-height 5} stops the job with a savepoint, resubmits it from the
 * height-5 one, and the replay ends with the clean chain's root; no feed sequence number repeats.
 */
class ReorgRestoreITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void aReorgBeyondTheUndoWindowIsRepairedFromARealSavepoint(@TempDir Path tmp) throws Exception {
        GeneratorOptions clean = new GeneratorOptions(21, 8, 8, Workload.MIXED, 12, 0, SignatureScheme.ED25519);
        ChainGenerator generator = new ChainGenerator(clean.withReorgs(6, 3));
        List<ChainEvent> events = generator.generateAll();
        Path chainDir = tmp.resolve("chain");
        try (ChainFiles.Writer genesisOnly = ChainFiles.create(chainDir, generator.genesis())) {
            genesisOnly.commit(); // reorg-restore reads only the genesis of this directory
        }
        String savepoints = tmp.resolve("savepoints").toUri().toString();
        String checkpoints = tmp.resolve("checkpoints").toUri().toString();

        Configuration clusterConf = new Configuration();
        clusterConf.set(RestOptions.BIND_PORT, "0");
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             MiniCluster cluster = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(clusterConf)
                     .setNumTaskManagers(1).setNumSlotsPerTaskManager(4).build())) {
            cluster.start();
            String rest = cluster.getRestAddress().get().toString();
            TopicNames topics = TopicNames.prefixed("deep.");
            kafka.createTopics(topics);

            JobOptions options = new JobOptions();
            options.parallelism = 2;
            options.stateBackend = "rocksdb";
            options.engine = "block-stm";
            options.undoWindow = 2;
            options.checkpointInterval = Duration.ofMillis(300);
            options.checkpointDir = checkpoints;
            options.savepointDir = savepoints;
            options.transactionalIdPrefix = "deep-it";
            JobID first;
            try (FlinkRest flink = new FlinkRest(rest)) {
                first = JobSubmitter.submit(flink, KafkaChainJob.create(kafka.bootstrapServers(), topics,
                        ChainCatalog.of(List.of(generator.genesis())), options, false), options, "deep-reorg-it", null);
            }
            try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
                for (ChainEvent e : events.subList(0, 5)) {
                    publisher.publish(e);
                }
                awaitResults(kafka, topics, rs -> rs.size() >= 5);
                String savepoint = cli("savepoint", "--rest", rest, "--savepoint-dir", savepoints);
                assertThat(savepoint).startsWith("savepoint=");
                for (ChainEvent e : events.subList(5, events.size())) {
                    publisher.publish(e);
                }
            }
            List<BlockResult> before = awaitResults(kafka, topics,
                    rs -> rs.stream().anyMatch(r -> "disconnect-beyond-window".equals(r.getRejectedRule())));
            BlockResult stuck = before.stream().filter(r -> "disconnect-beyond-window".equals(r.getRejectedRule())).findFirst()
                    .orElseThrow();
            assertThat(stuck.getRejectedReason()).contains("reorg-restore --fork-height 5");

            String restore = cli("reorg-restore", "--fork-height", "5", "--rest", rest, "--bootstrap", kafka.bootstrapServers(),
                    "--genesis", chainDir.toString(), "--topic-prefix", "deep.", "--savepoint-dir", savepoints,
                    "--checkpoint-dir", checkpoints, "--undo-window", "2", "--parallelism", "2", "--checkpoint-interval", "300",
                    "--transactional-id-prefix", "deep-it", "--engine", "block-stm");
            assertThat(restore).contains("chosen: height 5").contains("stopped: job " + first).contains("submitted: job");

            String expected = cleanRoot(clean);
            List<BlockResult> after = awaitResults(kafka, topics, rs -> !rs.isEmpty()
                    && rs.get(rs.size() - 1).getHeight() == 8 && rs.get(rs.size() - 1).getAccepted()
                    && !rs.get(rs.size() - 1).getDisconnected() && rs.get(rs.size() - 1).getSequence() > stuck.getSequence());
            assertThat(Bytes.hex(Bytes.of(after.get(after.size() - 1).getStateRoot()))).isEqualTo(expected);
            Set<Long> sequences = new HashSet<>();
            assertThat(after).allMatch(r -> sequences.add(r.getSequence()));
            try (FlinkRest flink = new FlinkRest(rest)) {
                for (JobID job : flink.activeJobs()) {
                    flink.cancel(job);
                    flink.awaitTerminal(job);
                }
            }
        }
    }

    private static String cli(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = Main.run(args);
        } finally {
            System.setOut(saved);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        return out;
    }

    /** Reads block-results (read_committed) from the start until the condition holds. */
    private static List<BlockResult> awaitResults(EmbeddedKafka kafka, TopicNames topics, Predicate<List<BlockResult>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<BlockResult> results = new ArrayList<>();
        try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS))) {
            while (!done.test(results)) {
                assertThat(System.nanoTime()).as("timed out; results so far: %s", results).isLessThan(deadline);
                for (byte[] v : reader.poll(Duration.ofMillis(200))) {
                    results.add(BlockResults.decode(v));
                }
            }
        }
        return results;
    }

    private static String cleanRoot(GeneratorOptions clean) {
        ChainGenerator g = new ChainGenerator(clean);
        ChainRunner runner = new ChainRunner(new ChainConfig(g.genesis()), new InMemoryStateStore(),
                Engines.create("sequential", 1, new ChainVm()), new BlockPreparer(null));
        for (ChainEvent e : g.generateAll()) {
            runner.process(e);
        }
        return Bytes.hex(runner.stateRoot());
    }
}
