package io.bitquan.flow.kafka.topics;

import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;

/** Concrete topic names for one deployment: the catalogue's defaults with an optional prefix. */
public final class TopicNames implements Serializable {
    private static final long serialVersionUID = 1L;

    private final EnumMap<Topic, String> names = new EnumMap<>(Topic.class);

    private TopicNames(String prefix) {
        for (Topic t : Topic.values()) {
            names.put(t, prefix + t.defaultName());
        }
    }

    public static TopicNames defaults() {
        return new TopicNames("");
    }

    /** Every topic prefixed, e.g. {@code test1.} gives {@code test1.chain-events}. */
    public static TopicNames prefixed(String prefix) {
        return new TopicNames(prefix);
    }

    public String name(Topic topic) {
        return names.get(topic);
    }

    public Map<Topic, String> all() {
        return Map.copyOf(names);
    }
}
