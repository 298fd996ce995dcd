package io.bitquan.flow.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;

/**
 * A chain as a node relays it through the job (embedded Kafka + MiniCluster, parallelism 2,
 * RocksDB): reorgs (side branches connected then disconnected), invalid variants, a malleated
 * body before the real block and a repeated block. The results equal ChainRunner's, the final
 * root is the clean chain's, and every feed record has its own per-chain sequence number: the
 * three topics together hold 0..n-1, each once.
 */
class ReorgJobITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @Test
    void reorgsInvalidAndMalleatedBlocksEndWithTheReferenceRootAndACompleteFeed() throws Exception {
        GeneratorOptions clean = new GeneratorOptions(11, 7, 20, Workload.MIXED, 20, 0, SignatureScheme.ED25519);
        ChainGenerator generator = new ChainGenerator(clean.withInvalidEvery(3).withReorgs(3, 2));
        Genesis genesis = generator.genesis();
        List<ChainEvent> events = new ArrayList<>(generator.generateAll());
        // a relay tampered with block 2's body (header intact), and block 4 arrives twice
        int second = indexOfHeight(events, 2);
        Block real = ((BlockConnected) events.get(second).getEvent()).getBlock();
        List<io.bitquan.flow.model.avro.Transaction> fewer = new ArrayList<>(real.getTransactions());
        fewer.remove(fewer.size() - 1);
        events.add(second, ChainEvent.newBuilder().setEvent(BlockConnected.newBuilder()
                .setBlock(Block.newBuilder(real).setTransactions(fewer).build()).build()).build());
        int fourth = indexOfHeight(events, 4);
        events.add(fourth + 1, events.get(fourth));

        ChainRunner runner = new ChainRunner(new ChainConfig(genesis), new InMemoryStateStore(),
                Engines.create("sequential", 1, new ChainVm()), new BlockPreparer(null));
        List<BlockResult> reference = new ArrayList<>();
        long feedRecords = 0;
        for (ChainEvent e : events) {
            for (BlockReport r : runner.processAll(e)) {
                if (r.feeds()) {
                    reference.add(r.toBlockResult());
                    feedRecords += 1 + r.changes().size() + r.receipts().size();
                }
            }
        }
        assertThat(reference).anyMatch(r -> "tx-root-mismatch".equals(r.getRejectedRule()))
                .anyMatch(BlockResult::getDisconnected);

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicNames topics = TopicNames.prefixed("reorg.");
            kafka.createTopics(topics);
            try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
                for (ChainEvent e : events) {
                    publisher.publish(e);
                }
            }
            JobOptions options = new JobOptions();
            options.parallelism = 2;
            options.stateBackend = "rocksdb";
            options.engine = "block-stm";
            options.chunkSize = 8;
            options.checkpointInterval = Duration.ofMillis(300);
            options.transactionalIdPrefix = "reorg-it";
            ChainJob job = KafkaChainJob.create(kafka.bootstrapServers(), topics, ChainCatalog.of(List.of(genesis)), options, true);
            JobClient client = KafkaChainJob.startLocal(job, options, "reorg-it");
            List<BlockResult> results = BlockResults.await(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS),
                    reference.size(), client, TIMEOUT, r -> { });
            client.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            assertThat(results).containsExactlyElementsOf(reference);
            String finalRoot = Bytes.hex(Bytes.of(results.get(results.size() - 1).getStateRoot()));
            assertThat(finalRoot).isEqualTo(cleanRoot(clean));

            List<Long> sequences = new ArrayList<>();
            for (byte[] v : readAll(kafka, topics.name(Topic.BLOCK_RESULTS))) {
                sequences.add(AvroSingleObject.BLOCK_RESULT.decode(v).getSequence());
            }
            for (byte[] v : readAll(kafka, topics.name(Topic.STATE_DIFFS))) {
                sequences.add(AvroSingleObject.STATE_DIFF.decode(v).getSequence());
            }
            for (byte[] v : readAll(kafka, topics.name(Topic.RECEIPTS))) {
                sequences.add(AvroSingleObject.RECEIPT.decode(v).getSequence());
            }
            sequences.sort(null);
            assertThat(sequences).containsExactlyElementsOf(java.util.stream.LongStream.range(0, feedRecords).boxed().toList());
        }
    }

    private static int indexOfHeight(List<ChainEvent> events, long height) {
        int last = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).getEvent() instanceof BlockConnected c && c.getBlock().getHeader().getHeight() == height) {
                last = i;
            }
        }
        return last; // the canonical block comes last at its height (after side branches and invalid variants)
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

    private static List<byte[]> readAll(EmbeddedKafka kafka, String topic) {
        List<byte[]> all = new ArrayList<>();
        try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), topic)) {
            List<byte[]> batch;
            while (!(batch = reader.poll(Duration.ofSeconds(2))).isEmpty()) {
                all.addAll(batch);
            }
        }
        return all;
    }
}
