package io.bitquan.flow.jobs.job.bench;

import io.bitquan.flow.kafka.io.TopicScan;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape of what a job wrote to the feeds, per chain event: the event's BlockResult value
 * (bytes as written) and, in the committer's order, the topic and size of every other record of
 * that event (its StateDiffs, then its Receipts). The platform-floor job ({@link FloorJob}) replays
 * exactly this shape without executing anything, so the floor moves the same records and bytes
 * through Kafka and Flink as the real job did. Read from the real job's feed topics after it ran
 * (one chain, results in event order); written to a file the floor's task reads on open.
 */
public final class FeedTemplate {
    /** One event's feed records: its BlockResult value, then the other records' topics and sizes. */
    public record Event(byte[] result, byte[] topics, int[] sizes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Event e && Arrays.equals(result, e.result) && Arrays.equals(topics, e.topics)
                    && Arrays.equals(sizes, e.sizes);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(result) + Arrays.hashCode(topics)) + Arrays.hashCode(sizes);
        }

        /** Bytes of all this event's feed values. */
        public long bytes() {
            long n = result.length;
            for (int s : sizes) {
                n += s;
            }
            return n;
        }
    }

    private final List<Event> events;

    public FeedTemplate(List<Event> events) {
        this.events = List.copyOf(events);
    }

    public List<Event> events() {
        return events;
    }

    public Event event(int i) {
        return events.get(i);
    }

    /** Feed records in all (results included). */
    public long records() {
        long n = 0;
        for (Event e : events) {
            n += 1 + e.sizes.length;
        }
        return n;
    }

    public long bytes() {
        long n = 0;
        for (Event e : events) {
            n += e.bytes();
        }
        return n;
    }

    /**
     * Reads {@code topics}' block results, state diffs and receipts (read_committed, to the end
     * offsets at the start) and groups diffs and receipts under the result whose sequence is their
     * {@code resultSequence}. Dead letters are not part of a template (a generated chain has none).
     */
    public static FeedTemplate read(String bootstrap, TopicNames topics) throws IOException {
        int max = RecordLimits.DEFAULT.clientMaxBytes();
        Duration deadline = Duration.ofMinutes(5);
        List<byte[]> results = new ArrayList<>();
        TopicScan.read(bootstrap, topics.name(Topic.BLOCK_RESULTS), max, deadline, results::add);
        Map<Long, Integer> bySequence = new HashMap<>();
        List<ByteList> others = new ArrayList<>();
        for (byte[] value : results) {
            BlockResult r = AvroSingleObject.BLOCK_RESULT.decode(value);
            bySequence.put(r.getSequence(), others.size());
            others.add(new ByteList());
        }
        // the committer writes a block's diffs before its receipts: the same order here
        for (Topic topic : List.of(Topic.STATE_DIFFS, Topic.RECEIPTS)) {
            IOException[] failure = new IOException[1];
            TopicScan.read(bootstrap, topics.name(topic), max, deadline, value -> {
                try {
                    long owner = topic == Topic.STATE_DIFFS ? AvroSingleObject.STATE_DIFF.decode(value).getResultSequence()
                            : AvroSingleObject.RECEIPT.decode(value).getResultSequence();
                    Integer event = bySequence.get(owner);
                    if (event == null) {
                        throw new IOException(topic + " record of result sequence " + owner + " without its block result");
                    }
                    others.get(event).add((byte) topic.ordinal(), value.length);
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
        }
        List<Event> events = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            events.add(new Event(results.get(i), others.get(i).topics(), others.get(i).sizes()));
        }
        return new FeedTemplate(events);
    }

    /**
     * What a feed consumer sees, without decoding: per topic (block results, state diffs,
     * receipts) the value sizes in offset order, and the block results' bytes. The floor's diffs
     * and receipts are zero-filled, so this is how its output is compared with the template.
     */
    public record Shape(List<int[]> sizes, List<byte[]> results) {
        public boolean sameAs(Shape o) {
            if (sizes.size() != o.sizes.size() || results.size() != o.results.size()) {
                return false;
            }
            for (int i = 0; i < sizes.size(); i++) {
                if (!Arrays.equals(sizes.get(i), o.sizes.get(i))) {
                    return false;
                }
            }
            for (int i = 0; i < results.size(); i++) {
                if (!Arrays.equals(results.get(i), o.results.get(i))) {
                    return false;
                }
            }
            return true;
        }

        public long records() {
            return sizes.stream().mapToLong(a -> a.length).sum();
        }

        public long bytes() {
            return sizes.stream().flatMapToInt(Arrays::stream).asLongStream().sum();
        }
    }

    private static final List<Topic> SHAPE_TOPICS = List.of(Topic.BLOCK_RESULTS, Topic.STATE_DIFFS, Topic.RECEIPTS);

    /** This template as the topics would hold it (one chain: each topic in event order). */
    public Shape shape() {
        List<int[]> sizes = new ArrayList<>();
        for (Topic t : SHAPE_TOPICS) {
            ByteList list = new ByteList();
            for (Event e : events) {
                if (t == Topic.BLOCK_RESULTS) {
                    list.add((byte) 0, e.result.length);
                }
                for (int i = 0; i < e.sizes.length; i++) {
                    if (e.topics[i] == t.ordinal()) {
                        list.add((byte) 0, e.sizes[i]);
                    }
                }
            }
            sizes.add(list.sizes());
        }
        return new Shape(sizes, events.stream().map(Event::result).toList());
    }

    /** What {@code topics} hold (read_committed, to the end offsets at the start). */
    public static Shape shape(String bootstrap, TopicNames topics) throws IOException {
        List<int[]> sizes = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();
        for (Topic t : SHAPE_TOPICS) {
            ByteList list = new ByteList();
            TopicScan.read(bootstrap, topics.name(t), RecordLimits.DEFAULT.clientMaxBytes(), Duration.ofMinutes(5), value -> {
                list.add((byte) 0, value.length);
                if (t == Topic.BLOCK_RESULTS) {
                    results.add(value);
                }
            });
            sizes.add(list.sizes());
        }
        return new Shape(sizes, results);
    }

    public void write(Path file) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(events.size());
            for (Event e : events) {
                out.writeInt(e.result.length);
                out.write(e.result);
                out.writeInt(e.sizes.length);
                out.write(e.topics);
                for (int s : e.sizes) {
                    out.writeInt(s);
                }
            }
        }
    }

    public static FeedTemplate load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            int n = in.readInt();
            List<Event> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] result = new byte[in.readInt()];
                in.readFully(result);
                int k = in.readInt();
                byte[] topics = new byte[k];
                in.readFully(topics);
                int[] sizes = new int[k];
                for (int j = 0; j < k; j++) {
                    sizes[j] = in.readInt();
                }
                events.add(new Event(result, topics, sizes));
            }
            return new FeedTemplate(events);
        }
    }

    /** A growable list of (topic ordinal, size). */
    private static final class ByteList {
        private byte[] topics = new byte[16];
        private int[] sizes = new int[16];
        private int count;

        void add(byte topic, int size) {
            if (count == topics.length) {
                topics = Arrays.copyOf(topics, count * 2);
                sizes = Arrays.copyOf(sizes, count * 2);
            }
            topics[count] = topic;
            sizes[count++] = size;
        }

        byte[] topics() {
            return Arrays.copyOf(topics, count);
        }

        int[] sizes() {
            return Arrays.copyOf(sizes, count);
        }
    }
}
