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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} against a Kafka it did not start: the feeds hold what {@code execute} prints. */
class RunCommandITCase {

    @Test
    void runProcessesAChainFromExternalKafka(@TempDir Path tmp) throws Exception {
        Path chain = tmp.resolve("c");
        Cli.stdout("generate", "--quiet", "--out", chain.toString(), "--seed", "11", "--blocks", "3", "--txs", "12",
                "--accounts", "20", "--signatures", "ed25519");
        List<String> execute = Cli.stdout("execute", "--chain", chain.toString());
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            TopicNames topics = TopicNames.prefixed("ext.");
            TopicAdmin.createMissing(kafka.bootstrapServers(), topics, (short) 1);
            try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS));
                 ChainFiles.EventReader events = ChainFiles.readEvents(chain)) {
                events.forEachRemaining(publisher::publish);
            }
            Cli.stdout("run", "--bootstrap", kafka.bootstrapServers(), "--genesis", chain.toString(), "--topic-prefix", "ext.",
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
