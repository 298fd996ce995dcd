package io.bitquan.flow.kafka.hostile;

/** One hostile {@code chain-events} record: Kafka key and value (the value may be null). */
public record HostileRecord(HostileKind kind, String key, byte[] value) {}
