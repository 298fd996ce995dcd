package io.bitquan.flow.jobs.job;

import io.bitquan.flow.jobs.cli.Vms;
import io.bitquan.flow.kafka.io.KafkaIo;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.operators.model.ChainCatalog;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The job wired to Kafka: chain-events in, the feeds out (exactly once by default). */
public final class KafkaChainJob {
    private KafkaChainJob() {}

    public static ChainJob create(String bootstrap, TopicNames topics, ChainCatalog catalog, JobOptions options,
                                  boolean bounded) {
        return new ChainJob(
                KafkaIo.chainEventSource(bootstrap, topics, options.consumerGroup, bounded),
                KafkaIo.feedSink(bootstrap, topics, options.transactionalIdPrefix,
                        options.exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE),
                catalog, options, Vms::chainVm);
    }

    /** Builds the job on a local MiniCluster and starts it without waiting. */
    public static JobClient startLocal(ChainJob job, JobOptions options, String name) throws Exception {
        StreamExecutionEnvironment env = ChainJob.localEnvironment(options);
        job.build(env);
        return env.executeAsync(name);
    }
}
