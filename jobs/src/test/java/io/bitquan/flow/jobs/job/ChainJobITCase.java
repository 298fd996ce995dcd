package io.bitquan.flow.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.kafka.avro.DeadLetter;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.CommitPart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job end to end on a real in-process Kafka broker and a MiniCluster: block results read
 * with read_committed must be byte-identical to the sequential reference (ChainRunner) for the
 * same chain, whatever the parallelism, state backend or failures.
 */
class ChainJobITCase {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static EmbeddedKafka kafka;
    private static Genesis genesis;
    private static List<ChainEvent> events;
    private static List<BlockResult> reference;
    private static final AtomicInteger RUNS = new AtomicInteger();

    @BeforeAll
    static void setUp() {
        kafka = EmbeddedKafka.start();
        // invalid variants (rejected, state unchanged) before every 3rd block
        ChainGenerator generator = new ChainGenerator(new GeneratorOptions(7, 6, 40, Workload.MIXED, 40, 3,
                SignatureScheme.ED25519));
        genesis = generator.genesis();
        events = generator.generateAll();
        reference = reference(genesis, events);
        assertThat(reference).anyMatch(r -> !r.getAccepted()).anyMatch(BlockResult::getAccepted);
    }

    @AfterAll
    static void tearDown() {
        if (kafka != null) {
            kafka.close();
        }
    }

    static List<BlockResult> reference(Genesis genesis, List<ChainEvent> events) {
        ChainRunner runner = new ChainRunner(new ChainConfig(genesis), new InMemoryStateStore(),
                Engines.create("sequential", 1, new ChainVm()), new BlockPreparer(null));
        List<BlockResult> out = new ArrayList<>();
        for (ChainEvent e : events) {
            out.add(runner.process(e).toBlockResult());
        }
        return out;
    }

    private record Run(TopicNames topics, List<BlockResult> results) {}

    private static Run run(JobOptions options, List<byte[]> badRecordsAfterFirst,
                           java.util.function.UnaryOperator<org.apache.flink.streaming.api.datastream.DataStream<CommitPart>> hook)
            throws Exception {
        TopicNames topics = TopicNames.prefixed("run" + RUNS.incrementAndGet() + ".");
        kafka.createTopics(topics);
        try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
            for (int i = 0; i < events.size(); i++) {
                publisher.publish(events.get(i));
                if (i == 0) {
                    for (byte[] bad : badRecordsAfterFirst) {
                        publisher.send(genesis.getChainId(), bad);
                    }
                }
            }
        }
        options.transactionalIdPrefix = "it-" + RUNS.get();
        ChainJob job = KafkaChainJob.create(kafka.bootstrapServers(), topics, ChainCatalog.of(List.of(genesis)), options, true)
                .afterExecutor(hook);
        JobClient client = KafkaChainJob.startLocal(job, options, "it");
        List<BlockResult> results = BlockResults.await(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS),
                events.size(), client, TIMEOUT, r -> { });
        // the bounded job ends by itself; wait for it so nothing is left running between tests
        client.getJobExecutionResult().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return new Run(topics, results);
    }

    /** The whole block-results topic of a finished run, read again (a replay's duplicate would show here). */
    private static List<BlockResult> allResults(Run run) throws Exception {
        List<BlockResult> all = new ArrayList<>();
        try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), run.topics().name(Topic.BLOCK_RESULTS))) {
            List<byte[]> batch;
            while (!(batch = reader.poll(Duration.ofSeconds(2))).isEmpty()) {
                batch.forEach(v -> all.add(BlockResults.decode(v)));
            }
        }
        return all;
    }

    private static JobOptions options(int parallelism, String backend) {
        JobOptions o = new JobOptions();
        o.parallelism = parallelism;
        o.stateBackend = backend;
        o.executorThreads = 2;
        o.chunkSize = 16;
        o.checkpointInterval = Duration.ofMillis(300);
        return o;
    }

    @Test
    void rootsEqualTheSequentialReferenceAtParallelismOneTwoFourOnHeapAndRocksDb() throws Exception {
        for (String backend : List.of("hashmap", "rocksdb")) {
            for (int p : new int[] {1, 2, 4}) {
                JobOptions options = options(p, backend);
                // the reference engine once, the product engine (worker threads over GuardedStateView) otherwise
                options.engine = p == 1 ? "sequential" : "block-stm";
                Run run = run(options, List.of(), s -> s);
                assertThat(run.results()).as("parallelism %d, %s, %s", p, backend, options.engine)
                        .containsExactlyElementsOf(reference);
            }
        }
    }

    @Test
    void thePreparerInlineOrWithAnyQueueGivesTheSameResultsAtParallelismOneTwoFourAndAcrossAFailure() throws Exception {
        // the other tests run the default queue (4); here the inline map (0) and a queue of one
        for (int[] pq : new int[][] {{1, 0}, {2, 0}, {2, 1}, {4, 0}}) {
            JobOptions options = options(pq[0], "rocksdb");
            options.engine = "block-stm";
            options.preparerQueue = pq[1];
            Run run = run(options, List.of(), s -> s);
            assertThat(run.results()).as("parallelism %d, preparer queue %d", pq[0], pq[1])
                    .containsExactlyElementsOf(reference);
        }
        exactlyOnceAcrossAnInjectedFailure(0);
    }

    @Test
    void exactlyOnceAcrossAnInjectedFailure() throws Exception {
        // in-flight chunks are the async stage's checkpointed state: a restore re-runs them, exactly once
        exactlyOnceAcrossAnInjectedFailure(new JobOptions().preparerQueue);
    }

    private static void exactlyOnceAcrossAnInjectedFailure(int preparerQueue) throws Exception {
        JobOptions options = options(2, "rocksdb");
        options.engine = "block-stm";
        options.preparerQueue = preparerQueue;
        options.checkpointInterval = Duration.ofMillis(200);
        FailOnce.ARMED.set(true);
        Run run = run(options, List.of(), s -> s.map(new FailOnce(3)).name("fail-once").setParallelism(2));
        assertThat(FailOnce.ARMED.get()).as("the failure was injected").isFalse();
        assertThat(run.results()).containsExactlyElementsOf(reference);
        // the job has finished: the whole topic, read again, holds each result exactly once (no
        // duplicate from the replay after the restart)
        assertThat(allResults(run)).containsExactlyElementsOf(reference);
    }

    @Test
    void malformedRecordGoesToDeadLetterAndLaterBlocksApply() throws Exception {
        byte[] garbage = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Run run = run(options(2, "hashmap"), List.of(garbage, "not avro".getBytes()), s -> s);
        assertThat(run.results()).containsExactlyElementsOf(reference);
        List<DeadLetter> letters = new ArrayList<>();
        try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), run.topics().name(Topic.DEAD_LETTER))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (letters.size() < 2 && System.nanoTime() < deadline) {
                for (byte[] v : reader.poll(Duration.ofMillis(200))) {
                    letters.add(AvroSingleObject.DEAD_LETTER.decode(v));
                }
            }
        }
        assertThat(letters).hasSize(2);
        assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(1L, 2L);
        assertThat(letters).allSatisfy(l -> assertThat(l.getReason()).startsWith("malformed chain event"));
        // the generator's invalid variants were rejected with their rule, and the next block applied
        assertThat(run.results()).anySatisfy(r -> {
            assertThat(r.getAccepted()).isFalse();
            assertThat(r.getRejectedRule()).isNotBlank();
        });
    }

    /** Throws once, after {@code after} summaries, in whichever subtask gets there first. */
    static final class FailOnce implements MapFunction<CommitPart, CommitPart> {
        private static final long serialVersionUID = 1L;
        static final java.util.concurrent.atomic.AtomicBoolean ARMED = new java.util.concurrent.atomic.AtomicBoolean();
        private static final AtomicInteger SEEN = new AtomicInteger();
        private final int after;

        FailOnce(int after) {
            this.after = after;
            SEEN.set(0);
        }

        @Override
        public CommitPart map(CommitPart part) {
            if (part.kind == CommitPart.Kind.SUMMARY && SEEN.incrementAndGet() > after && ARMED.compareAndSet(true, false)) {
                throw new IllegalStateException("injected failure after " + after + " blocks");
            }
            return part;
        }
    }
}
