package io.bitquan.flow.jobs.job;

import io.bitquan.flow.execution.chain.ChainLimits;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.io.SourceRecord;
import io.bitquan.flow.operators.commit.BlockCommitter;
import io.bitquan.flow.operators.commit.CommitmentPartition;
import io.bitquan.flow.operators.decode.EventDecoder;
import io.bitquan.flow.operators.execute.BlockExecutor;
import io.bitquan.flow.operators.execute.VmFactory;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChainInput;
import io.bitquan.flow.operators.model.CommitPart;
import io.bitquan.flow.operators.prepare.TxPreparer;
import io.bitquan.flow.operators.sequencer.BlockSequencer;
import java.nio.file.Files;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job graph (DESIGN.md §3), with source and sink injected (the flink-training shape): the
 * CLI wires Kafka, tests may wire anything.
 *
 * <pre>
 * source ─► decode ──dead letters──────────────────────────────────────────────┐
 *             │ keyBy(chain)                                                     │
 *             ▼                                                                  │
 *          sequencer ──chunks──► keyBy(chunk) preparers ──┐                      │
 *             │ START/REJECT/DISCONNECT                    ▼                      │
 *             └──────────────────────────────► union ► keyBy(chain) executor     │
 *                                                   │ KEYS side output           │
 *               keyBy(chain,bucket) commitment ◄────┘                            │
 *                          │ DELTA          SUMMARY                              │
 *                          └──► union ► keyBy(chain) committer ─► union ─► sink ◄┘
 * </pre>
 * Every operator has a stable uid (savepoint compatibility); renaming one orphans its state.
 */
public final class ChainJob {
    public static final String UID_SOURCE = "chain-events-source-v1";
    public static final String UID_DECODE = "decode-v1";
    public static final String UID_SEQUENCER = "sequencer-v1";
    public static final String UID_PREPARER = "preparer-v1";
    public static final String UID_EXECUTOR = "executor-v1";
    public static final String UID_COMMITMENT = "commitment-v1";
    public static final String UID_COMMITTER = "committer-v1";
    public static final String UID_SINK = "feeds-sink-v1";

    private final Source<SourceRecord, ?, ?> source;
    private final Sink<FeedRecord> sink;
    private final ChainCatalog catalog;
    private final JobOptions options;
    private final VmFactory vm;
    private UnaryOperator<DataStream<CommitPart>> afterExecutor = UnaryOperator.identity();

    public ChainJob(Source<SourceRecord, ?, ?> source, Sink<FeedRecord> sink, ChainCatalog catalog, JobOptions options,
                    VmFactory vm) {
        this.source = source;
        this.sink = sink;
        this.catalog = catalog;
        this.options = options;
        this.vm = vm;
    }

    /** A hook between executor and committer (tests inject failures here). */
    public ChainJob afterExecutor(UnaryOperator<DataStream<CommitPart>> hook) {
        this.afterExecutor = hook;
        return this;
    }

    public void build(StreamExecutionEnvironment env) {
        int p = options.parallelism;
        int buckets = options.buckets();
        DataStream<SourceRecord> records = env.fromSource(source, WatermarkStrategy.noWatermarks(), "chain-events")
                .uid(UID_SOURCE).setParallelism(options.sourceParallelism);
        // Same parallelism as the source, so decode is chained to it: a rebalance here would
        // reorder one partition's (= one chain's) events before the sequencer sees them.
        SingleOutputStreamOperator<ChainInput> decoded = records.process(new EventDecoder(catalog))
                .uid(UID_DECODE).name("decode").setParallelism(options.sourceParallelism);
        SingleOutputStreamOperator<BlockPart> sequenced = decoded
                .keyBy(in -> in.chainId, Types.STRING)
                .process(new BlockSequencer(catalog, options.chunkSize))
                .uid(UID_SEQUENCER).name("sequencer").setParallelism(p);
        DataStream<BlockPart> prepared = sequenced.getSideOutput(BlockSequencer.CHUNKS)
                .keyBy(BlockPart::preparerKey, Types.STRING)
                .map(new TxPreparer(catalog))
                .uid(UID_PREPARER).name("tx-preparer").setParallelism(p);
        SingleOutputStreamOperator<CommitPart> executed = sequenced.union(prepared)
                .keyBy(part -> part.chainId, Types.STRING)
                .process(new BlockExecutor(catalog, options.engine, options.executorThreads, vm, buckets,
                        new ChainLimits(options.undoWindow, options.maxHeld, options.maxHeldBytes)))
                .uid(UID_EXECUTOR).name("block-executor").setParallelism(p);
        DataStream<CommitPart> deltas = executed.getSideOutput(BlockExecutor.KEY_BATCHES)
                .keyBy(CommitPart::bucketKey, Types.STRING)
                .map(new CommitmentPartition())
                .uid(UID_COMMITMENT).name("commitment-partition").setParallelism(p);
        DataStream<CommitPart> summaries = afterExecutor.apply(executed);
        DataStream<FeedRecord> feeds = summaries.union(deltas)
                .keyBy(part -> part.chainId, Types.STRING)
                .process(new BlockCommitter(catalog, buckets, catalogDir(options), options.feedSequenceFloor))
                .uid(UID_COMMITTER).name("block-committer").setParallelism(p);
        feeds.union(decoded.getSideOutput(EventDecoder.DEAD_LETTERS))
                .sinkTo(sink).uid(UID_SINK).name("feeds").setParallelism(1);
    }

    /** Runtime configuration: state backend, exactly-once checkpoints, restarts, metrics, Web UI. */
    public static Configuration flinkConfig(JobOptions options) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, options.stateBackend);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir(options));
        if (options.savepointDir != null) {
            conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, options.savepointDir);
        }
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, options.restartAttempts);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, options.restartDelay);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(1, options.parallelism));
        if (options.webUiPort > 0) {
            conf.set(RestOptions.PORT, options.webUiPort);
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.ADDRESS, "localhost");
        }
        if (options.prometheusPort > 0) {
            conf.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", String.valueOf(options.prometheusPort));
        }
        return conf;
    }

    /** Where snapshot catalog entries go: the explicit option, else beside the savepoints, else nowhere. */
    public static String catalogDir(JobOptions options) {
        if (options.catalogDir != null) {
            return options.catalogDir;
        }
        return options.savepointDir == null ? null : options.savepointDir.replaceAll("/+$", "") + "/catalog";
    }

    private static String checkpointDir(JobOptions options) {
        if (options.checkpointDir != null) {
            return options.checkpointDir;
        }
        try {
            return Files.createTempDirectory("bitquan-checkpoints").toUri().toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A local (in-JVM MiniCluster) environment for this configuration, with the Web UI if asked. */
    public static StreamExecutionEnvironment localEnvironment(JobOptions options) {
        Configuration conf = flinkConfig(options);
        StreamExecutionEnvironment env = options.webUiPort > 0
                ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf)
                : StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(options.parallelism);
        return env;
    }

}
