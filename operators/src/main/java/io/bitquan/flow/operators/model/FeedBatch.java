package io.bitquan.flow.operators.model;

import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.topics.Topic;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feed records on their way to the sink, one Flink record per block (the committer's BlockResult,
 * diffs and receipts) or per dead letter: tens of thousands of small records per second cost
 * Flink more per record (serialization, the network hop, the monitor) than their bytes. The sink
 * still writes each {@link FeedRecord} on its own, in this order, so Kafka sees exactly what it
 * saw before. All records of a batch share the key. A Flink POJO, layout VERSION 1 (in flight
 * only, never in state): {@code topics} one {@link Topic} ordinal per record, {@code values} the
 * values back to back, {@code ends} each value's end offset in {@code values}.
 */
public class FeedBatch {
    public String key;
    public byte[] topics;
    public int[] ends;
    public byte[] values;

    public FeedBatch() {}

    public static FeedBatch of(FeedRecord record) {
        return new Builder(record.key, record.value.length).add(record.topic, record.value).build();
    }

    public int size() {
        return topics.length;
    }

    public Topic topic(int i) {
        return Topic.values()[topics[i]];
    }

    /** Record {@code i} (its value copied out: the sink's producer keeps it until sent). */
    public FeedRecord record(int i) {
        int from = i == 0 ? 0 : ends[i - 1];
        return new FeedRecord(topic(i), key, Arrays.copyOfRange(values, from, ends[i]));
    }

    public List<FeedRecord> records() {
        List<FeedRecord> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(record(i));
        }
        return out;
    }

    /** Unpacks batches in order (tests). */
    public static List<FeedRecord> records(List<FeedBatch> batches) {
        List<FeedRecord> out = new ArrayList<>();
        for (FeedBatch b : batches) {
            out.addAll(b.records());
        }
        return out;
    }

    /**
     * Builds a batch; {@link #out()} lets an encoder write a value straight into the batch, closed
     * by {@link #end(Topic)}.
     */
    public static final class Builder {
        private final String key;
        private final ByteSink buffer;
        private byte[] topics = new byte[16];
        private int[] ends = new int[16];
        private int count;

        public Builder(String key, int expectedBytes) {
            this.key = key;
            this.buffer = new ByteSink(Math.max(64, expectedBytes)); // not a ByteArrayOutputStream: no lock per field
        }

        public Builder add(Topic topic, byte[] value) {
            buffer.write(value, 0, value.length);
            return end(topic);
        }

        /** Where the next value is written. */
        public java.io.OutputStream out() {
            return buffer;
        }

        /** The bytes written since the last record end form one record of {@code topic}. */
        public Builder end(Topic topic) {
            if (count == topics.length) {
                topics = Arrays.copyOf(topics, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            topics[count] = (byte) topic.ordinal();
            ends[count] = buffer.size();
            count++;
            return this;
        }

        public FeedBatch build() {
            FeedBatch b = new FeedBatch();
            b.key = key;
            b.topics = Arrays.copyOf(topics, count);
            b.ends = Arrays.copyOf(ends, count);
            b.values = buffer.take();
            return b;
        }
    }
}
