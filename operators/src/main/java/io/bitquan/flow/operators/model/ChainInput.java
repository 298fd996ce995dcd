package io.bitquan.flow.operators.model;

/**
 * A decoded chain event on its way to the sequencer: the chain it belongs to, its source position
 * (for messages about it) and the event's Avro binary body. A Flink POJO.
 */
public class ChainInput {
    public String chainId;
    public int partition;
    public long offset;
    /** {@code ChainEvent}, Avro binary ({@link AvroBinary}). */
    public byte[] event;

    public ChainInput() {}

    public ChainInput(String chainId, int partition, long offset, byte[] event) {
        this.chainId = chainId;
        this.partition = partition;
        this.offset = offset;
        this.event = event;
    }
}
