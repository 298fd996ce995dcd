package io.bitquan.flow.operators.model;

/**
 * A decoded chain event on its way to the sequencer: the chain it belongs to, its source position
 * (for messages about it) and the event's Avro binary body. A Flink POJO (in flight only, never in
 * state).
 *
 * <p>The body is {@code event[eventOffset, event.length)}: the decoder hands on the Kafka record's
 * value as read, its single-object header skipped by offset rather than copied off (a copy of every
 * event, one of the few humongous allocations of an ML-DSA block, ~2.75 MB). Readers take the body
 * through {@link #eventOffset} / {@link #eventLength()}, or {@link #body()} for a copy.
 */
public class ChainInput {
    public String chainId;
    public int partition;
    public long offset;
    /** {@code ChainEvent}, Avro binary ({@link AvroBinary}), from {@link #eventOffset} to the end. */
    public byte[] event;
    /** Where the body starts in {@link #event} (0 unless the decoder left a header in front of it). */
    public int eventOffset;

    public ChainInput() {}

    public ChainInput(String chainId, int partition, long offset, byte[] event) {
        this(chainId, partition, offset, event, 0);
    }

    public ChainInput(String chainId, int partition, long offset, byte[] event, int eventOffset) {
        if (eventOffset < 0 || eventOffset > event.length) {
            throw new IllegalArgumentException("body offset " + eventOffset + " outside " + event.length + " bytes");
        }
        this.chainId = chainId;
        this.partition = partition;
        this.offset = offset;
        this.event = event;
        this.eventOffset = eventOffset;
    }

    /** Bytes of the body. */
    public int eventLength() {
        return event.length - eventOffset;
    }

    /** The body, copied out when it does not start at 0 (tests, probes). */
    public byte[] body() {
        return eventOffset == 0 ? event : java.util.Arrays.copyOfRange(event, eventOffset, event.length);
    }
}
