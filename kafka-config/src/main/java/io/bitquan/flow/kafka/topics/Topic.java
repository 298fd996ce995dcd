package io.bitquan.flow.kafka.topics;

import java.util.Map;

/**
 * The topic catalogue. Every record is keyed by chain id, so one chain's records stay in one
 * partition and keep their order; values are Avro single-object encoded (schema fingerprint in
 * every record, see docs/SCHEMAS.md).
 *
 * <ul>
 *   <li>{@code chain-events}: input, {@code ChainEvent}; kept 7 days (replayable input).</li>
 *   <li>{@code block-results}: {@code BlockResult} per processed event; compacted is wrong here
 *       (key = chain), so time retention.</li>
 *   <li>{@code state-diffs}: {@code StateDiff} per changed entry (indexer feed).</li>
 *   <li>{@code receipts}: {@code Receipt} per transaction of an accepted block.</li>
 *   <li>{@code dead-letter}: {@code DeadLetter} (reason, source topic/partition/offset, raw bytes).</li>
 * </ul>
 */
public enum Topic {
    CHAIN_EVENTS("chain-events", 1, Map.of("retention.ms", "604800000")),
    BLOCK_RESULTS("block-results", 1, Map.of("retention.ms", "604800000")),
    STATE_DIFFS("state-diffs", 1, Map.of("retention.ms", "604800000")),
    RECEIPTS("receipts", 1, Map.of("retention.ms", "604800000")),
    DEAD_LETTER("dead-letter", 1, Map.of("retention.ms", "2592000000"));

    private final String defaultName;
    private final int partitions;
    private final Map<String, String> configs;

    Topic(String defaultName, int partitions, Map<String, String> configs) {
        this.defaultName = defaultName;
        this.partitions = partitions;
        this.configs = configs;
    }

    /** The name used unless configuration overrides it. */
    public String defaultName() {
        return defaultName;
    }

    /** Default partition count: one chain per partition; raise it with the number of chains. */
    public int partitions() {
        return partitions;
    }

    public Map<String, String> configs() {
        return configs;
    }
}
