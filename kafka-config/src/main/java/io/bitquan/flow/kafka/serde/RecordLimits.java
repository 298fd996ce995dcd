package io.bitquan.flow.kafka.serde;

import io.bitquan.flow.model.rules.BlockLimits;
import java.io.Serializable;

/**
 * How large a Kafka record the job accepts, and the sizes derived from it so that the largest
 * legal block passes every hop: topics' {@code max.message.bytes}, producers'
 * {@code max.request.size}, consumers' fetch sizes, Avro's own length limits, and the dead
 * letters that carry a rejected record back out. One place, so they cannot disagree.
 *
 * @param maxRecordBytes     largest {@code chain-events} value decoded; bigger ones are dead
 *                           letters before any decoding (default: the largest legal block plus
 *                           1 MiB of headroom for the event wrapper and header)
 * @param maxCollectionItems Avro's item limit per array block (each block's items are
 *                           pre-allocated by Avro's reader)
 */
public record RecordLimits(int maxRecordBytes, int maxCollectionItems) implements Serializable {
    /** Room for the dead letter's reason, position and key around a copied record value. */
    public static final int DEAD_LETTER_OVERHEAD = 64 * 1024;
    /** Kafka's per-request and per-batch framing around the largest record. */
    public static final int REQUEST_OVERHEAD = 1024 * 1024;

    public static final RecordLimits DEFAULT = new RecordLimits(BlockLimits.MAX_BLOCK_BYTES + 1024 * 1024, 1_000_000);

    public RecordLimits {
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("max record bytes must be >= 1024, got " + maxRecordBytes);
        }
        if (maxRecordBytes > Integer.MAX_VALUE - REQUEST_OVERHEAD - DEAD_LETTER_OVERHEAD) {
            throw new IllegalArgumentException("max record bytes too large: " + maxRecordBytes);
        }
        if (maxCollectionItems < 1) {
            throw new IllegalArgumentException("max collection items must be >= 1, got " + maxCollectionItems);
        }
    }

    /** {@code max.message.bytes} a topic needs: dead letters carry a whole record plus metadata. */
    public int topicMaxMessageBytes() {
        return maxRecordBytes + DEAD_LETTER_OVERHEAD;
    }

    /** Producer {@code max.request.size} and consumer {@code max.partition.fetch.bytes}. */
    public int clientMaxBytes() {
        return topicMaxMessageBytes() + REQUEST_OVERHEAD;
    }
}
