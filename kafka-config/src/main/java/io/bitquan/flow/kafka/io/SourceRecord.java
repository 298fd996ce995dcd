package io.bitquan.flow.kafka.io;

/**
 * A Kafka record as received, not yet decoded: decoding happens in the job so that a malformed
 * value becomes a dead letter with its source position instead of failing the source.
 * A Flink POJO (public fields, no-arg constructor) so it is serialized without Kryo.
 */
public class SourceRecord {
    public String topic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] value;

    public SourceRecord() {}

    public SourceRecord(String topic, int partition, long offset, byte[] key, byte[] value) {
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
    }
}
