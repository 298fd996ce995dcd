package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.chain.AssumeValid;
import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.kafka.io.TopicScan;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.codec.Bytes;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Headers first (docs/ASSUME-VALID.md): the known header tree, read before any body is
 * processed, from a chain directory or from the chain-events topic, and the assume-valid set
 * computed from it. Blocks that arrive after the scan are not in the set: they are fully verified.
 */
final class AssumeValidScan {
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    private AssumeValidScan() {}

    /** Parses {@code --assume-valid} ids; a malformed one is a user error (exit 2). */
    static List<byte[]> parse(List<String> hex) {
        List<byte[]> ids = new ArrayList<>();
        for (String h : hex) {
            try {
                ids.add(AssumeValid.parseId(h));
            } catch (IllegalArgumentException e) {
                throw new Main.UserError(e.getMessage());
            }
        }
        return ids;
    }

    /** The headers of a chain directory's connected blocks. */
    static AssumeValid.Headers fromChainDir(Path chain) throws IOException {
        AssumeValid.Headers headers = new AssumeValid.Headers();
        try (ChainFiles.EventReader events = ChainFiles.readEvents(chain)) {
            while (events.hasNext()) {
                add(headers, events.next());
            }
        }
        return headers;
    }

    static AssumeValid.Headers fromEvents(Iterable<ChainEvent> events) {
        AssumeValid.Headers headers = new AssumeValid.Headers();
        events.forEach(e -> add(headers, e));
        return headers;
    }

    /**
     * The headers of the chains served, read from chain-events (read_committed, from the beginning
     * to the end offsets taken when the scan starts). Records that do not decode are skipped: the
     * job dead-letters them.
     */
    static AssumeValid.Headers fromTopic(String bootstrap, TopicNames topics, Set<String> chains) throws IOException {
        AssumeValid.Headers headers = new AssumeValid.Headers();
        String name = topics.name(Topic.CHAIN_EVENTS);
        TopicScan.read(bootstrap, name, RecordLimits.DEFAULT.clientMaxBytes(), DEADLINE, value -> {
            ChainEvent event;
            try {
                event = AvroSingleObject.CHAIN_EVENT.decode(value);
            } catch (IOException unusable) {
                return;
            }
            if (event.getEvent() instanceof BlockConnected c && chains.contains(c.getBlock().getHeader().getChainId())) {
                add(headers, event);
            }
        });
        return headers;
    }

    /**
     * The assume-valid set for these ids; an id that is not a known header skips nothing, and
     * {@code err} says so. A one-line summary goes to {@code err} too.
     */
    static AssumeValid resolve(AssumeValid.Headers headers, List<byte[]> ids, String where, PrintStream err) {
        for (byte[] id : ids) {
            if (!headers.knows(id)) {
                err.println("warning: --assume-valid " + Bytes.hex(id) + " is not a block of " + where
                        + ": no signature of its chain is assumed valid, every block is fully verified");
            }
        }
        AssumeValid set = headers.ancestorsOf(ids);
        err.println("assume-valid: " + set.size() + " of the " + headers.count() + " headers in " + where
                + " are the assume-valid block or its ancestors; their signatures are not verified");
        return set;
    }

    private static void add(AssumeValid.Headers headers, ChainEvent event) {
        if (event.getEvent() instanceof BlockConnected c) {
            headers.add(c.getBlock().getHeader());
        }
    }
}
