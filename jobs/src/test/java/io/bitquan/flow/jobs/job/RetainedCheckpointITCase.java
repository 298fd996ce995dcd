package io.bitquan.flow.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable state on a MiniCluster: a job cancelled halfway keeps its last checkpoint in
 * {@code --checkpoint-dir} (retained on cancellation, incremental RocksDB), and a new job started
 * from it at another parallelism (a rescale) carries on, so that every block's result is in the
 * feed exactly once and equal to the sequential reference.
 */
class RetainedCheckpointITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void cancelledJobResumesFromItsRetainedCheckpointAtAnotherParallelism(@TempDir Path tmp) throws Exception {
        ChainGenerator generator = new ChainGenerator(new GeneratorOptions(5, 6, 20, Workload.MIXED, 30, 0,
                SignatureScheme.ED25519));
        Genesis genesis = generator.genesis();
        List<ChainEvent> events = generator.generateAll();
        List<BlockResult> reference = ChainJobITCase.reference(genesis, events);
        int half = events.size() / 2;
        Path checkpoints = tmp.resolve("checkpoints");

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicNames topics = TopicNames.prefixed("retained.");
            kafka.createTopics(topics);
            publish(kafka, topics, events.subList(0, half));

            JobClient first = start(kafka, topics, genesis, 2, checkpoints, null);
            // committed results are visible only after the checkpoint that covers them completed
            BlockResults.await(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS), half, first, TIMEOUT, r -> { });
            first.cancel().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            awaitTerminal(first);

            Path retained = latestCheckpoint(checkpoints.resolve(first.getJobID().toString()));
            assertThat(retained.resolve("_metadata")).as("retained after cancel").exists();

            publish(kafka, topics, events.subList(half, events.size()));
            JobClient second = start(kafka, topics, genesis, 1, checkpoints, retained.toUri().toString());
            BlockResults.await(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS), events.size(), second, TIMEOUT, r -> { });
            second.cancel().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            // the whole feed, not deduplicated: each block exactly once, in order, equal to the reference
            assertThat(readAll(kafka, topics)).containsExactlyElementsOf(reference);
        }
    }

    private static JobClient start(EmbeddedKafka kafka, TopicNames topics, Genesis genesis, int parallelism, Path checkpoints,
                                   String restorePath) throws Exception {
        JobOptions o = new JobOptions();
        o.parallelism = parallelism;
        o.engine = "block-stm";
        o.chunkSize = 16;
        o.checkpointInterval = Duration.ofMillis(300);
        o.checkpointDir = checkpoints.toUri().toString();
        o.restorePath = restorePath;
        o.transactionalIdPrefix = "retained";
        ChainJob job = KafkaChainJob.create(kafka.bootstrapServers(), topics, ChainCatalog.of(List.of(genesis)), o, false);
        return KafkaChainJob.startLocal(job, o, "retained-p" + parallelism);
    }

    private static void publish(EmbeddedKafka kafka, TopicNames topics, List<ChainEvent> events) {
        try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
            events.forEach(publisher::publish);
        }
    }

    /**
     * Waits until the cancelled job is gone: its result future fails with the cancellation (the
     * per-job MiniCluster shuts down with it, so there is no status left to ask for).
     */
    private static void awaitTerminal(JobClient client) {
        assertThatThrownBy(() -> client.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    /** The completed checkpoint with the highest number ({@code chk-N} holding {@code _metadata}). */
    private static Path latestCheckpoint(Path jobDir) throws IOException {
        try (Stream<Path> dirs = Files.list(jobDir)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-") && Files.exists(d.resolve("_metadata")))
                    .max(Comparator.comparingLong(d -> Long.parseLong(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new AssertionError("no retained checkpoint under " + jobDir));
        }
    }

    private static List<BlockResult> readAll(EmbeddedKafka kafka, TopicNames topics) {
        List<BlockResult> all = new ArrayList<>();
        try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS))) {
            List<byte[]> batch;
            while (!(batch = reader.poll(Duration.ofSeconds(2))).isEmpty()) {
                batch.forEach(v -> all.add(BlockResults.decode(v)));
            }
        }
        return all;
    }
}
