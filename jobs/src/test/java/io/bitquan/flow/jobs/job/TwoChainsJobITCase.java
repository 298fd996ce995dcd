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
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.avro.StateDiff;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.Test;

/**
 * Two chains in one job at parallelism 2 with the feed monitor and the exactly-once sink at 2
 * (ChainJob routes every record of a chain to sink subtask hash(chain) mod n): with the chains'
 * events interleaved on chain-events, each chain's block results, receipts and state diffs,
 * read with read_committed, arrive exactly once, in sequence order, and equal what the standalone
 * runner gives for that chain alone.
 */
class TwoChainsJobITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    /** Hashes to the other sink subtask than the generator's chain id at parallelism 2 (asserted). */
    private static final String SECOND_CHAIN = "bitquan-testnet";

    @Test
    void eachChainsFeedsArriveOnceInOrderAndEqualItsStandaloneRun() throws Exception {
        assertThat(Math.floorMod(ChainJob.chainIndex(ChainGenerator.CHAIN_ID), 2))
                .as("the two chains go to different sink subtasks")
                .isNotEqualTo(Math.floorMod(ChainJob.chainIndex(SECOND_CHAIN), 2));

        ChainGenerator a = new ChainGenerator(new GeneratorOptions(11, 5, 12, Workload.MIXED, 20, 3, SignatureScheme.ED25519));
        Genesis genesisA = a.genesis();
        List<ChainEvent> eventsA = a.generateAll();
        ChainGenerator b = new ChainGenerator(new GeneratorOptions(12, 5, 4, Workload.TRANSFER, 10, 0, SignatureScheme.ED25519));
        Genesis genesisB = Genesis.newBuilder(b.genesis()).setChainId(SECOND_CHAIN).build();
        List<ChainEvent> eventsB = coinbaseOnly(genesisB, b.generateAll());

        Reference refA = reference(genesisA, eventsA);
        Reference refB = reference(genesisB, eventsB);
        // both chains must do real work in the job: accepted blocks with receipts and diffs
        assertThat(refA.results()).anyMatch(BlockResult::getAccepted).anyMatch(r -> !r.getAccepted());
        assertThat(refB.results()).allMatch(BlockResult::getAccepted);
        assertThat(refB.receipts()).isNotEmpty();

        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            TopicNames topics = TopicNames.prefixed("two.");
            kafka.createTopics(topics);
            try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
                for (int i = 0; i < Math.max(eventsA.size(), eventsB.size()); i++) { // interleaved
                    if (i < eventsA.size()) {
                        publisher.publish(eventsA.get(i));
                    }
                    if (i < eventsB.size()) {
                        publisher.publish(eventsB.get(i));
                    }
                }
            }
            JobOptions options = new JobOptions();
            options.parallelism = 2;
            options.feedParallelism = 2;
            options.stateBackend = "hashmap";
            options.engine = "block-stm";
            options.executorThreads = 2;
            options.chunkSize = 16;
            options.checkpointInterval = Duration.ofMillis(300);
            options.transactionalIdPrefix = "two-chains";
            ChainJob job = KafkaChainJob.create(kafka.bootstrapServers(), topics,
                    ChainCatalog.of(List.of(genesisA, genesisB)), options, true);
            JobClient client = KafkaChainJob.startLocal(job, options, "two-chains");
            int expected = refA.results().size() + refB.results().size();
            BlockResults.await(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS), expected, client, TIMEOUT, r -> { });
            client.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

            // the job has finished: each whole topic, read with read_committed, holds every record once
            List<BlockResult> results = readAll(kafka, topics, Topic.BLOCK_RESULTS, AvroSingleObject.BLOCK_RESULT);
            List<Receipt> receipts = readAll(kafka, topics, Topic.RECEIPTS, AvroSingleObject.RECEIPT);
            List<StateDiff> diffs = readAll(kafka, topics, Topic.STATE_DIFFS, AvroSingleObject.STATE_DIFF);
            for (var chain : List.of(new Object[] {genesisA.getChainId(), refA}, new Object[] {SECOND_CHAIN, refB})) {
                String id = (String) chain[0];
                Reference ref = (Reference) chain[1];
                List<BlockResult> mine = results.stream().filter(r -> r.getChainId().equals(id)).toList();
                assertThat(mine).as(id).containsExactlyElementsOf(ref.results());
                List<Long> sequences = new ArrayList<>();
                mine.forEach(r -> sequences.add(r.getSequence()));
                List<Receipt> myReceipts = receipts.stream().filter(r -> r.getChainId().equals(id)).toList();
                // receipts as the standalone run gives them (their feed sequence numbers checked below)
                assertThat(myReceipts).extracting(TwoChainsJobITCase::withoutSequence).as(id + " receipts")
                        .containsExactlyElementsOf(ref.receipts().stream().map(TwoChainsJobITCase::withoutSequence).toList());
                myReceipts.forEach(r -> sequences.add(r.getSequence()));
                List<StateDiff> myDiffs = diffs.stream().filter(d -> d.getChainId().equals(id)).toList();
                assertThat(myDiffs).as(id + " diffs").hasSize(ref.diffs());
                myDiffs.forEach(d -> sequences.add(d.getSequence()));
                assertThat(sequences).as(id + " sequences: every record once").doesNotHaveDuplicates()
                        .allMatch(s -> s >= 0);
                assertThat(mine).extracting(BlockResult::getSequence).as(id).isSorted();
                assertThat(myReceipts).extracting(Receipt::getSequence).as(id).isSorted();
                assertThat(myDiffs).extracting(StateDiff::getSequence).as(id).isSorted();
                assertThat(myReceipts).extracting(Receipt::getHeight).as(id).isSorted();
            }
            assertThat(results).hasSize(expected);
        } finally {
            kafka.close();
        }
    }

    private record Reference(List<BlockResult> results, List<Receipt> receipts, int diffs) {}

    private static Receipt withoutSequence(Receipt r) {
        return Receipt.newBuilder(r).setSequence(-1).setResultSequence(-1).build();
    }

    private static Reference reference(Genesis genesis, List<ChainEvent> events) {
        ChainRunner runner = new ChainRunner(new ChainConfig(genesis), new InMemoryStateStore(),
                Engines.create("sequential", 1, new ChainVm()), new BlockPreparer(null));
        List<BlockResult> out = new ArrayList<>();
        List<Receipt> receipts = new ArrayList<>();
        int diffs = 0;
        for (ChainEvent e : events) {
            BlockReport report = runner.process(e);
            out.add(report.toBlockResult());
            if (report.accepted() && report.feeds()) {
                receipts.addAll(report.receipts());
                diffs += report.changes().size();
            }
        }
        return new Reference(out, receipts, diffs);
    }

    /**
     * The generator signs for its own chain id only, so the second chain keeps each block's
     * coinbase (no signature; its amount lowered to 1, as no fees remain) under the new chain id,
     * with tx roots and parent links recomputed: a valid chain of its own.
     */
    private static List<ChainEvent> coinbaseOnly(Genesis genesis, List<ChainEvent> events) {
        byte[] parent = new ChainConfig(genesis).genesisId();
        List<ChainEvent> out = new ArrayList<>();
        for (ChainEvent e : events) {
            Block block = ((BlockConnected) e.getEvent()).getBlock();
            Coinbase coinbase = (Coinbase) block.getTransactions().get(0).getBody();
            TxOutput first = coinbase.getOutputs().get(0);
            Transaction tx = Transaction.newBuilder().setBody(Coinbase.newBuilder().setHeight(coinbase.getHeight())
                    .setOutputs(List.of(TxOutput.newBuilder().setAmount(1).setLock(first.getLock()).build())).build()).build();
            BlockHeader header = BlockHeader.newBuilder(block.getHeader()).setChainId(genesis.getChainId())
                    .setParentHash(Bytes.wrap(parent))
                    .setTxRoot(Bytes.wrap(BlockHashes.txRoot(List.of(TxCodec.txHash(tx))))).build();
            parent = BlockHashes.headerId(header);
            out.add(ChainEvent.newBuilder().setEvent(BlockConnected.newBuilder()
                    .setBlock(Block.newBuilder().setHeader(header).setTransactions(new ArrayList<>(List.of(tx))).build())
                    .build()).build());
        }
        return out;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> List<T> readAll(EmbeddedKafka kafka, TopicNames topics, Topic topic, AvroSingleObject<T> codec)
            throws IOException {
        List<T> all = new ArrayList<>();
        try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), topics.name(topic))) {
            List<byte[]> batch;
            while (!(batch = reader.poll(Duration.ofSeconds(2))).isEmpty()) {
                for (byte[] v : batch) {
                    all.add(codec.decode(v));
                }
            }
        }
        return all;
    }
}
