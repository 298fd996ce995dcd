package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.kafka.hostile.HostileCorpus;
import io.bitquan.flow.kafka.hostile.HostileFeed;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's {@code --hostile-every K}: the chain with a record of the hostile corpus before
 * every K-th block, and the account of where each went (dead-letter topic, or a rejected
 * result). With K = 0 it is just the chain.
 */
final class HostileDemo {
    private final List<HostileFeed.Item> feed;
    private final int every;
    private final Set<ByteBuffer> hostileBlockIds = new HashSet<>();
    private final int expectedResults;
    private final int hostileSent;

    HostileDemo(List<ChainEvent> events, int every, Genesis genesis) {
        this.every = every;
        if (every <= 0) {
            feed = new ArrayList<>();
            events.forEach(e -> feed.add(new HostileFeed.Item(e, null)));
        } else {
            HostileCorpus corpus = new HostileCorpus(RecordLimits.DEFAULT, new ChainConfig(genesis).maxBlockTransactions());
            feed = HostileFeed.interleave(events, every, corpus, 1);
        }
        int results = 0;
        int sent = 0;
        for (HostileFeed.Item item : feed) {
            ChainEvent e = item.nodeEvent();
            if (item.hostile() != null) {
                sent++;
                if (e != null) {
                    hostileBlockIds.add(ByteBuffer.wrap(BlockHashes.headerId(((BlockConnected) e.getEvent()).getBlock().getHeader())));
                }
            }
            if (e != null) {
                results++;
            }
        }
        expectedResults = results;
        hostileSent = sent;
    }

    List<HostileFeed.Item> feed() {
        return feed;
    }

    int expectedResults() {
        return expectedResults;
    }

    void publish(ChainEventPublisher publisher, int i) {
        HostileFeed.Item item = feed.get(i);
        if (item.event() != null) {
            publisher.publish(item.event());
        } else {
            publisher.send(item.hostile().key(), item.hostile().value());
        }
    }

    /** One line: sent, dead letters read back, rejected results of hostile blocks (by rule). */
    void report(PrintStream out, String bootstrap, String deadLetterTopic, List<BlockResult> results) {
        if (every <= 0) {
            return;
        }
        int expectedDead = hostileSent - hostileBlockIds.size();
        int dead = 0;
        try (FeedReader reader = new FeedReader(bootstrap, deadLetterTopic)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (dead < expectedDead && System.nanoTime() < deadline) {
                for (byte[] v : reader.poll(Duration.ofMillis(200))) {
                    try {
                        AvroSingleObject.DEAD_LETTER.decode(v);
                        dead++;
                    } catch (IOException unreadable) {
                        // not one of ours; not counted
                    }
                }
            }
        }
        TreeMap<String, Integer> rules = new TreeMap<>();
        int rejected = 0;
        for (BlockResult r : results) {
            if (!r.getAccepted() && hostileBlockIds.contains(r.getBlockId())) {
                rejected++;
                rules.merge(r.getRejectedRule(), 1, Integer::sum);
            }
        }
        out.printf("hostile: %d records sent (one before every %d blocks), %d reached dead-letter, %d rejected %s; accounted %d of %d%n",
                hostileSent, every, dead, rejected, rules, dead + rejected, hostileSent);
    }
}
