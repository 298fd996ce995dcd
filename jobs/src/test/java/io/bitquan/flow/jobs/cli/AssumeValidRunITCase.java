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
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --assume-valid} through the whole job (real Kafka, MiniCluster, parallelism 2): the
 * preparers learn the assume-valid set from a header scan of chain-events before the job starts.
 * Replaying up to the tip gives what {@code execute} prints with full verification (the invalid
 * variants, a bad signature among them, are off the canonical chain and still rejected); a bad
 * signature that is itself the assume-valid block is accepted (the trust model's consequence).
 */
class AssumeValidRunITCase {

    @Test
    void theJobReplaysWithSignaturesAssumedValidOnlyOnTheAssumeValidChain(@TempDir Path tmp) throws Exception {
        Path chain = tmp.resolve("c");
        Cli.stdout("generate", "--quiet", "--out", chain.toString(), "--seed", "11", "--blocks", "4", "--txs", "20",
                "--accounts", "20", "--invalid-every", "2", "--signatures", "ed25519");
        List<String> full = Cli.stdout("execute", "--chain", chain.toString(), "--ids");
        String tip = idOf(full.get(full.size() - 2));
        String badSignature = full.stream().filter(l -> l.contains("rejected rule=signature-invalid")).map(AssumeValidRunITCase::idOf)
                .findFirst().orElseThrow();
        List<ChainEvent> events = new ArrayList<>();
        try (ChainFiles.EventReader reader = ChainFiles.readEvents(chain)) {
            reader.forEachRemaining(events::add);
        }
        int badAt = 0;
        while (!(events.get(badAt).getEvent() instanceof BlockConnected c
                && Bytes.hex(BlockHashes.headerId(c.getBlock().getHeader())).equals(badSignature))) {
            badAt++;
        }

        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            // up to the tip, headers read from the chain directory (--assume-valid-headers): the
            // job's results are execute's lines with full verification
            List<String> replay = run(kafka, chain, "tip.", events, tip, "--assume-valid-headers", chain.toString());
            List<String> expected = new ArrayList<>();
            for (String l : full.subList(0, full.size() - 1)) {
                expected.add(l.substring(0, l.indexOf(" id=")));
            }
            assertThat(replay).containsExactlyElementsOf(expected).anyMatch(l -> l.contains("rejected rule=signature-invalid"));

            // the bad-signature block as the assume-valid block, headers from a scan of chain-events:
            // its signatures are not checked
            List<String> trusted = run(kafka, chain, "bad.", events.subList(0, badAt + 1), badSignature);
            assertThat(trusted.subList(0, badAt)).containsExactlyElementsOf(expected.subList(0, badAt));
            assertThat(trusted.get(badAt)).matches("block \\d+ accepted root=[0-9a-f]{64}");
        }
    }

    private static List<String> run(EmbeddedKafka kafka, Path chain, String prefix, List<ChainEvent> events, String assumeValid,
                                    String... headerFlags) throws Exception {
        TopicNames topics = TopicNames.prefixed(prefix);
        TopicAdmin.createMissing(kafka.bootstrapServers(), topics, (short) 1);
        try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
            events.forEach(publisher::publish);
        }
        List<String> args = new ArrayList<>(List.of("run", "--bootstrap", kafka.bootstrapServers(), "--genesis", chain.toString(),
                "--topic-prefix", prefix, "--bounded", "--parallelism", "2", "--state-backend", "hashmap", "--checkpoint-interval", "200",
                "--engine", "block-stm", "--chunk-size", "8", "--transactional-id-prefix", "av-" + prefix, "--assume-valid", assumeValid));
        args.addAll(List.of(headerFlags));
        Cli.Run run = Cli.run(args.toArray(String[]::new));
        assertThat(run.exit()).as(String.join("\n", run.err())).isZero();
        assertThat(run.err()).anyMatch(l -> l.startsWith("assume-valid: ") && !l.startsWith("assume-valid: 0 "))
                .noneMatch(l -> l.startsWith("warning"));
        List<String> lines = new ArrayList<>();
        try (FeedReader reader = new FeedReader(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS))) {
            List<byte[]> batch;
            while (!(batch = reader.poll(Duration.ofSeconds(2))).isEmpty()) {
                batch.forEach(v -> lines.add(BlockResults.line(BlockResults.decode(v))));
            }
        }
        return lines;
    }

    private static String idOf(String line) {
        return line.substring(line.indexOf(" id=") + 4);
    }
}
