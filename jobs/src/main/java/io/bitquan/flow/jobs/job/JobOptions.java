package io.bitquan.flow.jobs.job;

import java.io.Serializable;
import java.time.Duration;

/**
 * Everything the job graph and its runtime are configured with. Plain fields with defaults; the
 * CLI and the tests set what they need.
 */
public final class JobOptions implements Serializable {
    private static final long serialVersionUID = 1L;

    /** {@code sequential}, {@code block-stm}, ... (see {@code Engines.NAMES}). */
    public String engine = "sequential";
    /** Worker threads of the engine inside the executor. */
    public int executorThreads = 2;
    /** Parallelism of the keyed stages (sequencer, preparers, executor, commitment partitions, committer). */
    public int parallelism = 2;
    /** Source (and decode) parallelism: at most the number of chain-events partitions. */
    public int sourceParallelism = 1;
    /** {@code rocksdb} (default) or {@code hashmap} (heap). */
    public String stateBackend = "rocksdb";
    public Duration checkpointInterval = Duration.ofSeconds(1);
    /**
     * Where checkpoints go: any Flink filesystem URI ({@code file:///...}, {@code s3://...});
     * Flink key {@code execution.checkpointing.dir}. null: on a cluster, the cluster's own
     * configuration; on a local MiniCluster, a fresh temp directory (not durable).
     */
    public String checkpointDir;
    /**
     * Default target of savepoints (stop-with-savepoint, triggered savepoints); Flink key
     * {@code execution.checkpointing.savepoint-dir}. null: the cluster's configuration.
     */
    public String savepointDir;
    /**
     * RocksDB uploads only new SST files per checkpoint (Flink key
     * {@code execution.checkpointing.incremental}): the chain state grows with every block while a
     * block changes a small part of it, so full snapshots would cost O(state) every interval.
     */
    public boolean incrementalCheckpoints = true;
    /**
     * RocksDB compresses its SST files (Flink's default, Snappy) when true; false (the default)
     * stores them uncompressed: the state is mostly hashes and keys, and compression cost the
     * memtable flush and compaction threads CPU at every checkpoint (docs/PERFORMANCE.md, round 10).
     */
    public boolean rocksDbCompression = false;
    /**
     * RocksDB keeps a Bloom filter per SST file (10 bits a key, full filters; Flink key
     * {@code state.backend.rocksdb.use-bloom-filter}, off by Flink's default) when true, the default:
     * about half of a block's state reads are keys that are absent (each output a block creates is
     * read first, BIP30), and without filters such a read searches every level-0 file; the filter
     * answers most of them without a data block. Measured (PERFORMANCE.md round 11): the state
     * prefetch thread's CPU -35..-45 %. Storage only: files with or without filters read alike.
     */
    public boolean rocksDbBloomFilter = true;
    /** A savepoint or retained checkpoint to start from (Flink key {@code execution.state-recovery.path}); null = fresh. */
    public String restorePath;
    /** Where the committer writes snapshot catalog entries; null = {@code <savepointDir>/catalog}, or none. */
    public String catalogDir;
    /** Feed sequence numbers continue at least from here (set by reorg-restore; 0 = from the state). */
    public long feedSequenceFloor = 0;
    /** Transactions per chunk sent to one preparer: the smallest chunk (see {@link #chunksPerPreparer}). */
    public int chunkSize = 50;
    /**
     * A block is split into at most this many chunks per preparer subtask (0 = always
     * {@code chunkSize}): larger chunks for larger blocks cut per-chunk records and state entries
     * (bench job, 30x500 ML-DSA: 896 -> 770 CPU us/tx going from 10 to 4 chunks per block at
     * parallelism 2). Routing only: no result depends on it.
     */
    public int chunksPerPreparer = 2;
    /**
     * Chunks each preparer subtask takes off the network ahead of their checks, which run on a pool
     * shared by the JVM's preparer subtasks ({@code AsyncTxPreparer}); 0 = the checks on the task
     * thread (a plain map, its own operator uid). Routing and results are unchanged either way.
     * Default 4 since round 17 (docs/PERFORMANCE.md, job section).
     */
    public int preparerQueue = 4;
    /**
     * Parallelism of the feed monitor and the exactly-once Kafka sink (0 = {@link #parallelism}).
     * Each chain's records go through one sink subtask (ChainJob routes by chain), so more than one
     * pays only with several chains; 1 is the earlier single sink.
     */
    public int feedParallelism = 0;

    public int feedParallelism() {
        return feedParallelism > 0 ? feedParallelism : Math.max(1, parallelism);
    }

    /** Commitment buckets a block's changed keys are hashed in (0 = parallelism). */
    public int commitmentBuckets = 0;
    public int undoWindow = 100;
    /** Largest chain-events record the decoder accepts (checked before decoding; larger = dead letter). */
    public int maxRecordBytes = io.bitquan.flow.kafka.serde.RecordLimits.DEFAULT.maxRecordBytes();
    /** Unused since the chain core waits for a missing parent without a clock (kept for flag compatibility). */
    public long holdTimeoutMs = 60_000;
    /** Blocks the executor's chain core holds unapplied (gaps, side branches); the oldest is dropped beyond it. */
    public int maxHeld = 64;
    /** Their payload bytes, same policy. */
    public long maxHeldBytes = 256L << 20;
    /** Stable across restarts of the same deployment (exactly-once fencing). */
    public String transactionalIdPrefix = "bitquan-flow";
    /**
     * true: feeds written in Kafka transactions committed with each checkpoint (read_committed
     * consumers see every record once; latency ~ one checkpoint interval). false: at-least-once,
     * visible at once; after a failure records may repeat, and consumers deduplicate by
     * (chainId, sequence) — every feed record carries its per-chain sequence number, and repeats are identical.
     */
    public boolean exactlyOnce = true;
    public String consumerGroup = "bitquan-flow";
    /**
     * Exponential-delay restarts after a failure: {@code restartDelay} doubling up to
     * {@code restartMaxDelay}; the job fails for good after {@code restartAttempts} restarts
     * without {@code restartResetAfter} of healthy running in between (then the count and the
     * delay start over). A failed job keeps its retained checkpoints, so giving up loses nothing.
     */
    public int restartAttempts = 10; // 0 = no restarts: the first failure fails the job
    public Duration restartDelay = Duration.ofSeconds(1);
    public Duration restartMaxDelay = Duration.ofMinutes(1);
    public Duration restartResetAfter = Duration.ofMinutes(10);
    /**
     * Network buffer (memory segment) size of a local MiniCluster in KB; 0 (the default) keeps
     * Flink's 32 KB. 128 holds a whole ML-DSA chunk per channel in flight ({@code
     * ChainJob.networkBuffers}) and keeps the preparers busier, but in the lead's alternated
     * ML-DSA pairs the warm job was slower with it (2 of 2) and aligned checkpoints took 2-3x
     * longer where the executor is the bound (docs/PERFORMANCE.md, round 10), so it is opt-in.
     */
    public int networkSegmentKb = 0;
    /** Chained operators pass records without copying them (see ChainJob.build). */
    public boolean objectReuse = true;
    /** Prometheus reporter port; 0 = reporter off. */
    public int prometheusPort = 0;
    /** Web UI / REST port of a local cluster; 0 = none. */
    public int webUiPort = 0;
    /**
     * How stale the REST API's task metrics may be with a Web UI ({@code metrics.fetcher.update-interval});
     * null = Flink's default (10 s). The fetcher asks the TaskManagers only when a REST request needs them.
     */
    public Duration metricFetcherInterval = Duration.ofSeconds(1);
    /** MEASUREMENT (bench job): hand the task and checkpoint metrics to the bench in-process (bench.InProcessMetrics). */
    public boolean inProcessMetrics = false;

    /**
     * Blocks whose signatures the preparers do not verify (assume-valid replay, docs/ASSUME-VALID.md):
     * the assume-valid block and its ancestors, found headers-first before the job is built.
     */
    public io.bitquan.flow.execution.chain.AssumeValid assumeValid = io.bitquan.flow.execution.chain.AssumeValid.NONE;

    /** Most chunks a block is split into (0 = no limit). */
    public int maxChunks() {
        return chunksPerPreparer <= 0 ? 0 : chunksPerPreparer * Math.max(1, parallelism);
    }

    public int buckets() {
        return commitmentBuckets > 0 ? commitmentBuckets : Math.max(1, parallelism);
    }
}
