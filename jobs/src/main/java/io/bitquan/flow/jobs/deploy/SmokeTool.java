package io.bitquan.flow.jobs.deploy;

import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.jobs.job.BlockResults;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.ChainEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Kafka side of {@code deploy/standalone/smoke.sh}, run from the runnable jar
 * ({@code java -cp bitquan-flow.jar io.bitquan.flow.jobs.deploy.SmokeTool ...}): a broker on
 * loopback, publishing a slice of a chain directory's events, and reading a feed with
 * read_committed exactly as an indexer would. Not a user command: the product's CLI is
 * {@code Main}; this only stands in for the Kafka a real deployment already has.
 */
@Command(name = "smoke-tool", mixinStandardHelpOptions = true,
        subcommands = {SmokeTool.Broker.class, SmokeTool.Publish.class, SmokeTool.Results.class})
public final class SmokeTool {

    public static void main(String[] args) {
        System.exit(new CommandLine(new SmokeTool()).execute(args));
    }

    /** An in-process KRaft broker with the topic catalogue; writes its bootstrap address to a file and runs until killed. */
    @Command(name = "broker")
    static final class Broker implements Callable<Integer> {
        @Option(names = "--bootstrap-file", required = true)
        Path bootstrapFile;

        @Option(names = "--topic-prefix", defaultValue = "")
        String topicPrefix;

        @Override
        public Integer call() throws Exception {
            EmbeddedKafka kafka = EmbeddedKafka.start();
            kafka.createTopics(TopicNames.prefixed(topicPrefix));
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
            Path tmp = bootstrapFile.resolveSibling(bootstrapFile.getFileName() + ".tmp");
            Files.writeString(tmp, kafka.bootstrapServers() + "\n");
            Files.move(tmp, bootstrapFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            new CountDownLatch(1).await();
            return 0;
        }
    }

    /** Publishes events {@code [from, to)} of a chain directory (to = -1: to the end) to chain-events. */
    @Command(name = "publish")
    static final class Publish implements Callable<Integer> {
        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Option(names = "--chain", required = true)
        Path chain;

        @Option(names = "--topic-prefix", defaultValue = "")
        String topicPrefix;

        @Option(names = "--from", defaultValue = "0")
        int from;

        @Option(names = "--to", defaultValue = "-1")
        int to;

        @Option(names = "--count", description = "only print how many events the chain holds")
        boolean count;

        @Override
        public Integer call() throws IOException {
            int i = 0;
            int sent = 0;
            try (ChainFiles.EventReader events = ChainFiles.readEvents(chain);
                 ChainEventPublisher publisher = count ? null
                         : new ChainEventPublisher(bootstrap, TopicNames.prefixed(topicPrefix).name(Topic.CHAIN_EVENTS))) {
                while (events.hasNext()) {
                    ChainEvent e = events.next();
                    if (!count && i >= from && (to < 0 || i < to)) {
                        publisher.publish(e);
                        sent++;
                    }
                    i++;
                }
            }
            System.out.println(count ? String.valueOf(i) : "published " + sent + " events [" + from + ", " + (to < 0 ? i : to) + ")");
            return 0;
        }
    }

    /**
     * Reads block-results from the beginning with read_committed and prints one line per record
     * (the {@code execute} format), duplicates included: waits for {@code --expect} records, then
     * keeps reading for {@code --linger} seconds so that a duplicate arriving late still shows.
     */
    @Command(name = "results")
    static final class Results implements Callable<Integer> {
        @Option(names = "--bootstrap", required = true)
        String bootstrap;

        @Option(names = "--topic-prefix", defaultValue = "")
        String topicPrefix;

        @Option(names = "--expect", required = true)
        int expect;

        @Option(names = "--timeout", defaultValue = "300", description = "seconds")
        long timeoutSeconds;

        @Option(names = "--linger", defaultValue = "5", description = "seconds")
        long lingerSeconds;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            int seen = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
            long lingerUntil = Long.MAX_VALUE;
            try (FeedReader reader = new FeedReader(bootstrap, TopicNames.prefixed(topicPrefix).name(Topic.BLOCK_RESULTS))) {
                while (System.nanoTime() < Math.min(deadline, lingerUntil)) {
                    List<byte[]> batch = reader.poll(Duration.ofMillis(500));
                    for (byte[] v : batch) {
                        out.println(BlockResults.line(BlockResults.decode(v)));
                        seen++;
                    }
                    if (seen >= expect && lingerUntil == Long.MAX_VALUE) {
                        lingerUntil = System.nanoTime() + Duration.ofSeconds(lingerSeconds).toNanos();
                    }
                }
            }
            out.flush();
            if (seen < expect) {
                System.err.println("timed out with " + seen + " of " + expect + " block results");
                return 1;
            }
            return 0;
        }
    }
}
