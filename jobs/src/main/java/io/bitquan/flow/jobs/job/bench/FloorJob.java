package io.bitquan.flow.jobs.job.bench;

import io.bitquan.flow.jobs.job.ChainJob;
import io.bitquan.flow.jobs.job.JobOptions;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.io.KafkaIo;
import io.bitquan.flow.kafka.io.SourceRecord;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.operators.decode.EventDecoder;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChainInput;
import io.bitquan.flow.operators.model.EvenPartitioner;
import io.bitquan.flow.operators.model.FeedBatch;
import io.bitquan.flow.operators.monitor.FeedMonitor;
import io.bitquan.flow.operators.monitor.SourceTip;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * MEASUREMENT MODE, not the product (like kafka-producer-perf-test): the platform floor of
 * {@code bench job --floor}. The same Kafka source, decode stage (the whole event decoded once, as
 * the job does), source tips, feed monitor and exactly-once transactional Kafka sink as
 * {@link ChainJob}, on the same local MiniCluster configuration (parallelism, state backend,
 * checkpoint interval, object reuse: {@link ChainJob#localEnvironment}); between decode and the
 * monitor a single keyed stage ({@link FloorEmitter}) replaces sequencer, preparers, executor,
 * commitment partitions and committer and emits the real job's feed records by shape. What it
 * measures: how many transactions per second Kafka -> Flink -> Kafka can carry on this machine
 * with this job's records, i.e. the ceiling of any job of this shape here. It does not verify,
 * execute or commit anything, and the shuffles between the real job's inner stages are not in it
 * (so its CPU is a lower bound of the platform's share of the real job's).
 */
public final class FloorJob {
    private FloorJob() {}

    public static void build(StreamExecutionEnvironment env, String bootstrap, TopicNames topics, ChainCatalog catalog,
                             JobOptions options, Path template, Map<String, String> producerOverrides) {
        if (options.objectReuse) {
            env.getConfig().enableObjectReuse();
        }
        DataStream<SourceRecord> records = env.fromSource(
                        KafkaIo.chainEventSource(bootstrap, topics, options.consumerGroup, true),
                        WatermarkStrategy.noWatermarks(), "chain-events")
                .setParallelism(options.sourceParallelism);
        SingleOutputStreamOperator<ChainInput> decoded = records
                .process(new EventDecoder(catalog, new RecordLimits(options.maxRecordBytes,
                        RecordLimits.DEFAULT.maxCollectionItems())))
                .name("decode").setParallelism(options.sourceParallelism);
        DataStream<FeedBatch> feeds = decoded.keyBy(in -> in.chainId, Types.STRING)
                .process(new FloorEmitter(template))
                .name("floor-emitter (MEASUREMENT: no execution)").setParallelism(options.parallelism);
        DataStream<SourceTip> tips = decoded.map(SourceTip::of, TypeInformation.of(SourceTip.class))
                .name("source-tip").setParallelism(options.sourceParallelism);
        DataStream<FeedBatch> deadLetters = decoded.getSideOutput(EventDecoder.DEAD_LETTERS)
                .map(FeedBatch::of, TypeInformation.of(FeedBatch.class))
                .name("dead-letters").setParallelism(options.sourceParallelism);
        int sinks = options.feedParallelism();
        // the job's sink (KafkaIo), with measurement-only producer overrides applied last (none by default)
        Sink<FeedRecord> sink = KafkaIo.feedSink(bootstrap, topics, options.transactionalIdPrefix,
                options.exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE, producerOverrides);
        // routed by chain as ChainJob does (String.hashCode is specified, the same in every JVM)
        feeds.union(deadLetters)
                .partitionCustom(EvenPartitioner.INSTANCE, batch -> batch.key == null ? 0 : batch.key.hashCode())
                .connect(tips.partitionCustom(EvenPartitioner.INSTANCE, tip -> tip.chainId.hashCode()))
                .process(new FeedMonitor()).name("feed-monitor").setParallelism(sinks)
                .sinkTo(sink).name("feeds").setParallelism(sinks);
    }

    /** Builds the floor job on a local MiniCluster configured as the real job's and starts it. */
    public static JobClient startLocal(String bootstrap, TopicNames topics, ChainCatalog catalog, JobOptions options,
                                       Path template, Map<String, String> producerOverrides, String name) throws Exception {
        StreamExecutionEnvironment env = ChainJob.localEnvironment(options);
        build(env, bootstrap, topics, catalog, options, template, producerOverrides);
        return env.executeAsync(name);
    }
}
