package io.bitquan.flow.operators.decode;

import io.bitquan.flow.kafka.avro.DeadLetter;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.io.SourceRecord;
import io.bitquan.flow.kafka.serde.AvroLimits;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChainInput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes raw {@code chain-events} records leniently: anything that is not a single-object
 * encoded {@code ChainEvent} of a chain this job serves goes to the dead-letter side output with
 * the reason and its source position, and the job carries on. Stateless.
 *
 * <p>Bounded: the record size is checked before decoding ({@link RecordLimits}), Avro's own
 * length limits are installed in this JVM on open, and a failure of any exception type while
 * decoding or inspecting one record is that record's dead letter, never the task's failure.
 * Dead letters copy the raw value only up to the record limit (a prefix of a bigger one), so a
 * dead letter always fits the dead-letter topic.
 */
public final class EventDecoder extends ProcessFunction<SourceRecord, ChainInput> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<FeedRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(FeedRecord.class));

    /** Bytes of a key kept in a dead letter (keys are chain ids). */
    static final int MAX_KEY_BYTES = 1024;
    /** Bytes of an oversized value kept in its dead letter. */
    static final int OVERSIZED_PREFIX_BYTES = 64 * 1024;

    private final ChainCatalog catalog;
    private final RecordLimits limits;
    private transient Counter deadLetters;

    public EventDecoder(ChainCatalog catalog) {
        this(catalog, RecordLimits.DEFAULT);
    }

    public EventDecoder(ChainCatalog catalog, RecordLimits limits) {
        this.catalog = catalog;
        this.limits = limits;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
        AvroLimits.install(limits);
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<ChainInput> out) {
        ChainInput input;
        try {
            input = decode(record);
        } catch (Unusable e) {
            deadLetter(record, e.getMessage(), ctx);
            return;
        } catch (RuntimeException | StackOverflowError e) {
            // Not expected (decode wraps Avro's failures), but whatever one record triggers is
            // that record's problem: it must not fail the task and replay into the same crash.
            deadLetter(record, "malformed chain event: " + e.getClass().getSimpleName() + ": " + e.getMessage(), ctx);
            return;
        }
        out.collect(input);
    }

    /** Why a record is not an input of this job (the dead letter's reason). */
    private static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    private ChainInput decode(SourceRecord record) throws Unusable {
        ChainEvent event;
        try {
            event = AvroSingleObject.CHAIN_EVENT.decode(record.value, limits);
        } catch (IOException e) {
            throw new Unusable("malformed chain event: " + e.getMessage());
        }
        String chainId;
        Object variant = event.getEvent();
        if (variant instanceof BlockConnected c) {
            chainId = c.getBlock().getHeader().getChainId();
        } else if (variant instanceof BlockDisconnected d) {
            chainId = d.getChainId();
        } else {
            throw new Unusable("unknown chain event variant");
        }
        if (!catalog.serves(chainId)) {
            String shown = chainId.length() > 64 ? chainId.substring(0, 64) + "..." : chainId;
            throw new Unusable("chain '" + shown + "' is not served by this job");
        }
        // The body as read, in place (no copy: the record's value is this stage's to hand on), unless
        // an earlier schema wrote it: then re-encoded once.
        int at = AvroSingleObject.CHAIN_EVENT.currentBodyOffset(record.value);
        return at >= 0
                ? new ChainInput(chainId, record.partition, record.offset, record.value, at)
                : new ChainInput(chainId, record.partition, record.offset, AvroBinary.encode(event));
    }

    private static byte[] prefix(byte[] bytes, int max) {
        return bytes.length <= max ? bytes : Arrays.copyOf(bytes, max);
    }

    private void deadLetter(SourceRecord record, String reason, Context ctx) {
        deadLetters.inc();
        DeadLetter letter = DeadLetter.newBuilder()
                .setReason(reason)
                .setSourceTopic(record.topic)
                .setSourcePartition(record.partition)
                .setSourceOffset(record.offset)
                .setKey(record.key == null ? null : ByteBuffer.wrap(prefix(record.key, MAX_KEY_BYTES)))
                .setValue(record.value == null ? null : ByteBuffer.wrap(record.value.length <= limits.maxRecordBytes()
                        ? record.value : prefix(record.value, OVERSIZED_PREFIX_BYTES)))
                .build();
        String key = record.key == null ? "" : new String(prefix(record.key, MAX_KEY_BYTES), StandardCharsets.UTF_8);
        ctx.output(DEAD_LETTERS, new FeedRecord(Topic.DEAD_LETTER, key, AvroSingleObject.DEAD_LETTER.encode(letter)));
    }
}
