package io.bitquan.flow.operators.decode;

import io.bitquan.flow.kafka.avro.DeadLetter;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.io.SourceRecord;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
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
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes raw {@code chain-events} records leniently: anything that is not a single-object
 * encoded {@code ChainEvent} of a chain this job serves goes to the dead-letter side output with
 * the reason and its source position, and the job carries on. Stateless.
 */
public final class EventDecoder extends ProcessFunction<SourceRecord, ChainInput> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<FeedRecord> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(FeedRecord.class));

    private final ChainCatalog catalog;
    private transient Counter deadLetters;

    public EventDecoder(ChainCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext context) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(SourceRecord record, Context ctx, Collector<ChainInput> out) {
        ChainEvent event;
        try {
            event = AvroSingleObject.CHAIN_EVENT.decode(record.value);
        } catch (IOException e) {
            deadLetter(record, "malformed chain event: " + e.getMessage(), ctx);
            return;
        }
        String chainId;
        Object body = event.getEvent();
        if (body instanceof BlockConnected c) {
            chainId = c.getBlock().getHeader().getChainId();
        } else if (body instanceof BlockDisconnected d) {
            chainId = d.getChainId();
        } else {
            deadLetter(record, "unknown chain event variant", ctx);
            return;
        }
        if (!catalog.serves(chainId)) {
            deadLetter(record, "chain '" + chainId + "' is not served by this job", ctx);
            return;
        }
        out.collect(new ChainInput(chainId, record.partition, record.offset, AvroBinary.encode(event)));
    }

    private void deadLetter(SourceRecord record, String reason, Context ctx) {
        deadLetters.inc();
        DeadLetter letter = DeadLetter.newBuilder()
                .setReason(reason)
                .setSourceTopic(record.topic)
                .setSourcePartition(record.partition)
                .setSourceOffset(record.offset)
                .setKey(record.key == null ? null : ByteBuffer.wrap(record.key))
                .setValue(record.value == null ? null : ByteBuffer.wrap(record.value))
                .build();
        String key = record.key == null ? "" : new String(record.key, StandardCharsets.UTF_8);
        ctx.output(DEAD_LETTERS, new FeedRecord(Topic.DEAD_LETTER, key, AvroSingleObject.DEAD_LETTER.encode(letter)));
    }
}
