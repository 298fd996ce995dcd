package io.bitquan.flow.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.kafka.avro.DeadLetter;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.hostile.HostileCorpus;
import io.bitquan.flow.kafka.hostile.HostileFeed;
import io.bitquan.flow.kafka.hostile.HostileKind;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;

/**
 * Every class of the hostile corpus interleaved with a valid chain, through the whole job
 * (embedded Kafka, MiniCluster, parallelism 2) with restarts disabled, so any failure a record
 * causes fails the test: every hostile record ends as a dead letter (with reason, topic,
 * partition, offset) or a rejected BlockResult with its rule, and the result stream equals
 * ChainRunner's over the same records, hence the final root equals the valid chain's.
 */
class HostileInputITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @Test
    void noHostileRecordStopsOrStallsTheJob() throws Exception {
        int kinds = HostileKind.values().length;
        ChainGenerator generator = new ChainGenerator(new GeneratorOptions(11, kinds, 8, Workload.MIXED, 20, 0,
                SignatureScheme.ED25519));
        List<ChainEvent> valid = generator.generateAll();
        HostileCorpus corpus = new HostileCorpus(RecordLimits.DEFAULT, new ChainConfig(generator.genesis()).maxBlockTransactions());
        List<HostileFeed.Item> feed = HostileFeed.interleave(valid, 1, corpus, 5);

        List<ChainEvent> nodeEvents = new ArrayList<>();
        Map<Long, HostileKind> deadLetterOffsets = new HashMap<>();
        for (int offset = 0; offset < feed.size(); offset++) {
            HostileFeed.Item item = feed.get(offset);
            ChainEvent e = item.nodeEvent();
            if (e != null) {
                nodeEvents.add(e);
            } else {
                deadLetterOffsets.put((long) offset, item.hostile().kind());
            }
        }
        assertThat(feed).filteredOn(i -> i.hostile() != null).extracting(i -> i.hostile().kind())
                .containsExactly(HostileKind.values());
        List<BlockResult> reference = ChainJobITCase.reference(generator.genesis(), nodeEvents);
        List<BlockResult> validReference = ChainJobITCase.reference(generator.genesis(), valid);

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicNames topics = TopicNames.prefixed("hostile.");
            kafka.createTopics(topics);
            try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
                for (HostileFeed.Item item : feed) {
                    if (item.event() != null) {
                        publisher.publish(item.event());
                    } else {
                        publisher.send(item.hostile().key(), item.hostile().value());
                    }
                }
            }
            JobOptions options = new JobOptions();
            options.parallelism = 2;
            options.stateBackend = "hashmap";
            options.engine = "block-stm";
            options.chunkSize = 4;
            options.checkpointInterval = Duration.ofMillis(300);
            options.restartAttempts = 0; // a restart would be a failure: the job must never need one
            options.transactionalIdPrefix = "hostile-it";
            ChainJob job = KafkaChainJob.create(kafka.bootstrapServers(), topics, ChainCatalog.of(List.of(generator.genesis())),
                    options, true);
            JobClient client = KafkaChainJob.startLocal(job, options, "hostile-it");
            List<BlockResult> results = BlockResults.await(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS),
                    reference.size(), client, TIMEOUT, r -> { });
            // the bounded job ends by itself; with no restart allowed, success means no failure at all
            client.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(results).containsExactlyElementsOf(reference);
            for (HostileKind kind : HostileKind.values()) {
                if (!kind.deadLetter()) {
                    assertThat(results).as(kind.name()).anySatisfy(r -> {
                        assertThat(r.getAccepted()).isFalse();
                        assertThat(r.getRejectedRule()).isEqualTo(kind.rejectedWith().id());
                    });
                }
            }
            assertThat(results.get(results.size() - 1).getStateRoot())
                    .as("final root = the valid chain's").isEqualTo(validReference.get(validReference.size() - 1).getStateRoot());

            List<DeadLetter> letters = new ArrayList<>();
            try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), topics.name(Topic.DEAD_LETTER))) {
                List<byte[]> batch;
                while (!(batch = reader.poll(Duration.ofSeconds(2))).isEmpty()) {
                    for (byte[] v : batch) {
                        letters.add(AvroSingleObject.DEAD_LETTER.decode(v));
                    }
                }
            }
            assertThat(letters).extracting(DeadLetter::getSourceOffset)
                    .containsExactlyInAnyOrderElementsOf(deadLetterOffsets.keySet());
            assertThat(letters).allSatisfy(l -> {
                assertThat(l.getReason()).isNotBlank();
                assertThat(l.getSourceTopic()).isEqualTo(topics.name(Topic.CHAIN_EVENTS));
                assertThat(l.getSourcePartition()).isZero();
            });
        }
    }
}
