package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.jobs.job.BlockResults;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicAdmin;
import io.bitquan.flow.kafka.topics.TopicNames;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} against a Kafka it did not start: the feeds hold what {@code execute} prints. */
class RunCommandITCase {

    private static List<String> stdout(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Main.run(args)).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void runProcessesAChainFromExternalKafka(@TempDir Path tmp) throws Exception {
        Path chain = tmp.resolve("c");
        stdout("generate", "--quiet", "--out", chain.toString(), "--seed", "11", "--blocks", "3", "--txs", "12",
                "--accounts", "20", "--signatures", "ed25519");
        List<String> execute = stdout("execute", "--chain", chain.toString());
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicNames topics = TopicNames.prefixed("ext.");
            TopicAdmin.createMissing(kafka.bootstrapServers(), topics, (short) 1);
            try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS));
                 ChainFiles.EventReader events = ChainFiles.readEvents(chain)) {
                events.forEachRemaining(publisher::publish);
            }
            stdout("run", "--bootstrap", kafka.bootstrapServers(), "--genesis", chain.toString(), "--topic-prefix", "ext.",
                    "--bounded", "--parallelism", "1", "--state-backend", "hashmap", "--checkpoint-interval", "200",
                    "--engine", "sequential");
            List<String> lines = new ArrayList<>();
            try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS))) {
                List<byte[]> batch;
                while (!(batch = reader.poll(Duration.ofSeconds(2))).isEmpty()) {
                    batch.forEach(v -> lines.add(BlockResults.line(BlockResults.decode(v))));
                }
            }
            assertThat(lines).containsExactlyElementsOf(execute.subList(0, execute.size() - 1));
        }
    }
}
