package io.bitquan.flow.kafka.hostile;

import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A valid chain with hostile records interleaved: before every K-th block one record of the
 * corpus, the kinds in rotation. What the demo's {@code --hostile-every K} publishes and the
 * ITCase checks.
 */
public final class HostileFeed {
    private HostileFeed() {}

    /** One record to publish: a valid chain event, or a hostile record. */
    public record Item(ChainEvent event, HostileRecord hostile) {
        /**
         * The chain event a node sees for this record ({@code null} for what must be a dead
         * letter): the valid event, or the hostile block it decodes to.
         */
        public ChainEvent nodeEvent() {
            if (event != null) {
                return event;
            }
            if (hostile.kind().deadLetter()) {
                return null;
            }
            try {
                return AvroSingleObject.CHAIN_EVENT.decode(hostile.value());
            } catch (IOException e) {
                throw new UncheckedIOException("a hostile block of kind " + hostile.kind() + " does not decode", e);
            }
        }
    }

    /**
     * @param every K >= 1: a hostile record before every K-th block (blocks counted from 1)
     */
    public static List<Item> interleave(List<ChainEvent> events, int every, HostileCorpus corpus, long seed) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be >= 1");
        }
        HostileKind[] kinds = HostileKind.values();
        List<Item> items = new ArrayList<>();
        int blocks = 0;
        int sent = 0;
        for (ChainEvent e : events) {
            if (e.getEvent() instanceof BlockConnected c && ++blocks % every == 0) {
                items.add(new Item(null, corpus.make(kinds[sent % kinds.length], c.getBlock(), seed + sent)));
                sent++;
            }
            items.add(new Item(e, null));
        }
        return items;
    }
}
