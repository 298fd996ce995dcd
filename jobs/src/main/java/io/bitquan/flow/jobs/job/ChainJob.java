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
import io.bitquan.flow.operators.model.EvenPartitioner;
import io.bitquan.flow.operators.model.FeedBatch;
import io.bitquan.flow.operators.monitor.FeedMonitor;
import io.bitquan.flow.operators.monitor.SourceTip;
import io.bitquan.flow.operators.prepare.AsyncTxPreparer;
import io.bitquan.flow.operators.prepare.TxPreparer;
import io.bitquan.flow.operators.sequencer.BlockSequencer;
import java.nio.file.Files;
import java.util.function.UnaryOperator;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.rocksdb.CompressionType;

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
 *                          └──► union ► keyBy(chain) committer ─► union ◄────────┘
 *                                                                      ▼
 *   decode ─► source-tip (chain, height) ─────────────────────────► feed-monitor ─► sink
 *                                              (metrics only; records pass unchanged)
 * </pre>
 * Every operator has a stable uid (savepoint compatibility); renaming one orphans its state.
 */
public final class ChainJob {
    public static final String UID_SOURCE = "chain-events-source-v1";
    public static final String UID_DECODE = "decode-v1";
    public static final String UID_SEQUENCER = "sequencer-v1";
    /** The preparer stage as Flink's ordered async operator (the default, {@code --preparer-queue} > 0). */
    public static final String UID_PREPARER = "preparer-v1";
    /**
     * The preparer as a plain map ({@code --preparer-queue 0}). Its own uid, because the async stage's
     * state (its in-flight chunks) must never be handed to an operator that ignores it: a savepoint taken
     * with the queue on, restored with it off, is then refused by Flink ("Cannot map checkpoint/savepoint
     * state for operator ...") instead of losing those chunks and leaving their blocks waiting forever.
     * The map has no state, so its savepoints restore into either form.
     */
    public static final String UID_PREPARER_INLINE = "preparer-inline-v1";
    public static final String UID_EXECUTOR = "executor-v1";
    public static final String UID_COMMITMENT = "commitment-v1";
    public static final String UID_COMMITTER = "committer-v1";
    public static final String UID_SINK = "feeds-sink-v1";
    /** Stateless (metrics only): added after v1 savepoints existed, which restore without it. */
    public static final String UID_SOURCE_TIP = "source-tip-v1";
    public static final String UID_MONITOR = "feed-monitor-v1";
    /** Stateless: dead letters into the feed batches the monitor takes. */
    public static final String UID_DEAD_LETTERS = "dead-letter-batches-v1";

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
        if (options.objectReuse) {
            // Chained operators hand records on without a defensive copy (decode -> source-tip,
            // feed-monitor -> sink): no operator of this job mutates or keeps a record it was given
            // (keyed state keeps records that came over the network, which are fresh objects).
            env.getConfig().enableObjectReuse();
        }
        int p = options.parallelism;
        int buckets = options.buckets();
        DataStream<SourceRecord> records = env.fromSource(source, WatermarkStrategy.noWatermarks(), "chain-events")
                .uid(UID_SOURCE).setParallelism(options.sourceParallelism);
        // Same parallelism as the source, so decode is chained to it: a rebalance here would
        // reorder one partition's (= one chain's) events before the sequencer sees them.
        SingleOutputStreamOperator<ChainInput> decoded = records.process(new EventDecoder(catalog, new io.bitquan.flow.kafka.serde.RecordLimits(options.maxRecordBytes,
                        io.bitquan.flow.kafka.serde.RecordLimits.DEFAULT.maxCollectionItems())))
                .uid(UID_DECODE).name("decode").setParallelism(options.sourceParallelism);
        SingleOutputStreamOperator<BlockPart> sequenced = decoded
                .keyBy(in -> in.chainId, Types.STRING)
                .process(new BlockSequencer(catalog, options.chunkSize, options.maxChunks()))
                .uid(UID_SEQUENCER).name("sequencer").setParallelism(p);
        // Stateless stages take their input by index, not by key hash: chunk c of a block goes to
        // subtask (c + offset) mod p, so every subtask gets its share of every block (a string
        // hash often gave one subtask most of a block, and the executor waits for the last chunk).
        DataStream<BlockPart> chunks = sequenced.getSideOutput(BlockSequencer.CHUNKS)
                .partitionCustom(EvenPartitioner.INSTANCE, BlockPart::preparerIndex);
        // With a queue (the default since round 17: higher job/standalone in 4 of 5 ML-DSA 800-block
        // pairs, ed25519 even), a preparer drains its input at once and the checks run on a pool shared by the
        // JVM's preparers (AsyncTxPreparer: a busy preparer no longer stalls the sequencer's sends to
        // an idle one); timeout 0 = none. Its state is its in-flight chunks; the inline map has its
        // own uid so that state is never restored into an operator that would drop it.
        DataStream<BlockPart> prepared = options.preparerQueue > 0
                ? AsyncDataStream.orderedWait(chunks, new AsyncTxPreparer(catalog, options.assumeValid), 0,
                        java.util.concurrent.TimeUnit.MILLISECONDS, options.preparerQueue)
                        .uid(UID_PREPARER).name("tx-preparer").setParallelism(p)
                : chunks.map(new TxPreparer(catalog, options.assumeValid))
                        .uid(UID_PREPARER_INLINE).name("tx-preparer").setParallelism(p);
        SingleOutputStreamOperator<CommitPart> executed = sequenced.union(prepared)
                .keyBy(part -> part.chainId, Types.STRING)
                .process(new BlockExecutor(catalog, options.engine, options.executorThreads, vm, buckets,
                        new ChainLimits(options.undoWindow, options.maxHeld, options.maxHeldBytes)))
                .uid(UID_EXECUTOR).name("block-executor").setParallelism(p);
        DataStream<CommitPart> deltas = executed.getSideOutput(BlockExecutor.KEY_BATCHES)
                .partitionCustom(EvenPartitioner.INSTANCE, CommitPart::bucketIndex)
                .map(new CommitmentPartition())
                .uid(UID_COMMITMENT).name("commitment-partition").setParallelism(p);
        DataStream<CommitPart> summaries = afterExecutor.apply(executed);
        DataStream<FeedBatch> feeds = summaries.union(deltas)
                .keyBy(part -> part.chainId, Types.STRING)
                .process(new BlockCommitter(catalog, buckets, catalogDir(options), options.feedSequenceFloor))
                .uid(UID_COMMITTER).name("block-committer").setParallelism(p);
        // Progress metrics per chain (FeedMonitor): the height of each event read, taken beside the
        // decoder so that only (chain, height) travels, and every feed record on its way to the sink.
        DataStream<SourceTip> tips = decoded.map(SourceTip::of, TypeInformation.of(SourceTip.class))
                .uid(UID_SOURCE_TIP).name("source-tip").setParallelism(options.sourceParallelism);
        DataStream<FeedBatch> deadLetters = decoded.getSideOutput(EventDecoder.DEAD_LETTERS)
                .map(FeedBatch::of, TypeInformation.of(FeedBatch.class))
                .uid(UID_DEAD_LETTERS).name("dead-letters").setParallelism(options.sourceParallelism);
        // Monitor and sink at options.feedParallelism() (the job's by default): every record of a
        // chain (its feeds, its dead letters, its source tips) goes to subtask hash(chain) mod n, so
        // one transactional producer writes a chain's records in their order (consumers dedupe by
        // (chain, sequence) as before) and the monitor sees a chain's tips beside its results. Each
        // subtask's Kafka transaction commits with the checkpoint, so exactly-once is unchanged.
        int sinks = options.feedParallelism();
        feeds.union(deadLetters)
                .partitionCustom(EvenPartitioner.INSTANCE, batch -> chainIndex(batch.key))
                .connect(tips.partitionCustom(EvenPartitioner.INSTANCE, tip -> chainIndex(tip.chainId)))
                .process(new FeedMonitor()).uid(UID_MONITOR).name("feed-monitor").setParallelism(sinks)
                .sinkTo(sink).uid(UID_SINK).name("feeds").setParallelism(sinks);
    }

    /**
     * Runtime configuration: state backend, durable exactly-once checkpoints, restarts, metrics,
     * Web UI. Used as the job's own configuration on a cluster (it overrides the cluster's
     * config.yaml for these keys) and as the whole configuration of a local MiniCluster.
     * A null {@code checkpointDir} / {@code savepointDir} leaves the cluster's setting alone.
     */
    public static Configuration flinkConfig(JobOptions options) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, options.stateBackend);
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, options.incrementalCheckpoints);
        if (!options.rocksDbCompression) {
            // The chain state is hashes, keys and encoded values: Snappy (Flink's default) finds little
            // to save and costs CPU on every memtable flush (a checkpoint a second) and compaction.
            // Measured (PERFORMANCE.md round 10): the flush and compaction threads' CPU -35 % / -65 %.
            // Storage only: the SST format reads either, so state written with Snappy restores as is.
            conf.set(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL, java.util.List.of(CompressionType.NO_COMPRESSION));
        }
        if (options.rocksDbBloomFilter) {
            // Half of a block's state reads miss (created outputs are read before they are written):
            // a filter answers those from memory instead of searching each level-0 file (one per
            // checkpoint's flush). Flink's defaults: 10 bits a key, full (not block-based) filters.
            conf.set(RocksDBConfigurableOptions.USE_BLOOM_FILTER, true);
        }
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval);
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        // Kept when the job is cancelled or fails for good: the chain state cannot be rebuilt
        // once chain-events' retention has passed, so only an operator deletes checkpoints.
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION, ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        if (options.checkpointDir != null) {
            conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
            conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, options.checkpointDir);
        }
        if (options.savepointDir != null) {
            conf.set(CheckpointingOptions.SAVEPOINT_DIRECTORY, options.savepointDir);
        }
        if (options.restorePath != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, options.restorePath);
        }
        if (options.restartAttempts == 0) {
            // no restarts at all: the first failure fails the job (tests that prove no record restarts it)
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF, options.restartDelay);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF, options.restartMaxDelay);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_BACKOFF_MULTIPLIER, 2.0);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD, options.restartResetAfter);
            // Jitter spreads the restarts of many jobs after a shared outage; it moves timing only, never results.
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_JITTER_FACTOR, 0.1);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS, options.restartAttempts);
        }
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, Math.max(1, options.parallelism));
        if (options.networkSegmentKb > 0) {
            networkBuffers(conf, options.networkSegmentKb);
        }
        if (options.webUiPort > 0) {
            conf.set(RestOptions.PORT, options.webUiPort);
            conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            conf.set(RestOptions.ADDRESS, "localhost");
            if (options.metricFetcherInterval != null) {
                // the REST answers for running tasks (busy / back-pressured time) at most 1 s old, not 10
                conf.set(org.apache.flink.configuration.MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, options.metricFetcherInterval);
            }
        }
        if (options.inProcessMetrics) {
            io.bitquan.flow.jobs.job.bench.InProcessMetrics.configure(conf);
        }
        if (options.prometheusPort > 0) {
            conf.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", String.valueOf(options.prometheusPort));
        }
        overrides(conf, System.getProperties());
        return conf;
    }

    /**
     * Network buffers of {@code segmentKb} (Flink's default: 32 KB). Flink 2 has no per-channel or
     * per-gate buffer counts to set any more (their defaults were 2 and 8), so what one channel
     * holds in flight is set by the segment size; a CHUNK is ~125 ML-DSA transactions, ~690 KB, more than a 32 KB-segment
     * channel holds, so the sequencer (one thread, one chain) stalled on one busy preparer's full
     * channel while the other preparer ran dry (preparers 16-21 % idle at the bound; 128 KB: 9 %,
     * docs/PERFORMANCE.md round 10). The network memory grows with the segments: the same number
     * of buffers as a MiniCluster's default (64 MB of 32 KB), 256 MB at 128 KB, allocated at start. TaskManager settings: they
     * shape a local MiniCluster (run, demo, bench, tests); a cluster takes them from its config.yaml.
     */
    static void networkBuffers(Configuration conf, int segmentKb) {
        conf.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, org.apache.flink.configuration.MemorySize.parse(segmentKb + "kb"));
        org.apache.flink.configuration.MemorySize network =
                org.apache.flink.configuration.MemorySize.parse(DEFAULT_NETWORK_BUFFERS * segmentKb + "kb");
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, network);
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, network);
    }

    /** Buffers of a local MiniCluster's default network memory (64 MB of 32 KB segments). */
    static final int DEFAULT_NETWORK_BUFFERS = 2048;

    /** Prefix of system properties that set a Flink option (measurements only, e.g. -Dbitquan.flink.state.backend.rocksdb.compression.per.level=NO_COMPRESSION). */
    public static final String OVERRIDE_PREFIX = "bitquan.flink.";

    /**
     * Flink options given as {@code -Dbitquan.flink.<flink key>=<value>}, applied last: a hook to
     * A/B a runtime setting (RocksDB, network, checkpoint) in alternating JVMs of one jar, as
     * {@code -Dbitquan.broker.<key>} does for the in-process broker. None set: nothing changes.
     */
    static void overrides(Configuration conf, java.util.Properties properties) {
        for (String name : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            if (name.startsWith(OVERRIDE_PREFIX) && name.length() > OVERRIDE_PREFIX.length()) {
                conf.setString(name.substring(OVERRIDE_PREFIX.length()), properties.getProperty(name));
            }
        }
    }

    /** The monitor / sink subtask index of a chain's records before the modulo (dead letters without a key: 0). */
    static int chainIndex(String chainId) {
        return chainId == null ? 0 : chainId.hashCode(); // String.hashCode is specified: the same in every JVM
    }

    /** Where snapshot catalog entries go: the explicit option, else beside the savepoints, else nowhere. */
    public static String catalogDir(JobOptions options) {
        if (options.catalogDir != null) {
            return options.catalogDir;
        }
        return options.savepointDir == null ? null : options.savepointDir.replaceAll("/+$", "") + "/catalog";
    }

    /**
     * The options for a run on a local MiniCluster: without a {@code checkpointDir}, a fresh temp
     * directory (a MiniCluster has no config.yaml to fall back on; such checkpoints are not durable).
     */
    public static JobOptions forLocalRun(JobOptions options) {
        if (options.checkpointDir == null) {
            try {
                options.checkpointDir = Files.createTempDirectory("bitquan-checkpoints").toUri().toString();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return options;
    }

    /**
     * The environment {@code run} submits to: the cluster's when the program runs under
     * {@code flink run} or a REST submission (the job configuration rides along), otherwise a
     * local MiniCluster ({@link #forLocalRun}); with a Web UI port always local.
     */
    public static StreamExecutionEnvironment environment(JobOptions options) {
        if (options.webUiPort > 0) {
            return localEnvironment(options);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig(options));
        if (env instanceof LocalStreamEnvironment && options.checkpointDir == null) {
            env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig(forLocalRun(options)));
        }
        env.setParallelism(options.parallelism);
        return env;
    }

    /** A local (in-JVM MiniCluster) environment for this configuration, with the Web UI if asked. */
    public static StreamExecutionEnvironment localEnvironment(JobOptions options) {
        Configuration conf = flinkConfig(forLocalRun(options));
        StreamExecutionEnvironment env = options.webUiPort > 0
                ? StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf)
                : StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(options.parallelism);
        return env;
    }

}
