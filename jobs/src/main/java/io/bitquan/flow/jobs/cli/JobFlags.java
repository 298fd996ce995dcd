package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.jobs.job.JobOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import io.bitquan.flow.kafka.serde.RecordLimits;
import picocli.CommandLine.Option;

/** The job's runtime flags, shared by {@code demo}, {@code run} and {@code bench job}. */
public final class JobFlags {
    @Option(names = "--engine", description = "execution engine inside the executor: ${COMPLETION-CANDIDATES} (default: block-stm when available, else sequential)")
    String engine;

    @Option(names = "--threads", defaultValue = "2", description = "engine worker threads per executor (default ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--parallelism", defaultValue = "2", description = "parallelism of the keyed stages (default ${DEFAULT-VALUE})")
    int parallelism;

    @Option(names = "--state-backend", defaultValue = "rocksdb", description = "rocksdb or hashmap (default ${DEFAULT-VALUE})")
    String stateBackend;

    @Option(names = "--checkpoint-interval", defaultValue = "1000", description = "ms; exactly-once results become visible at each checkpoint (default ${DEFAULT-VALUE})")
    long checkpointIntervalMs;

    @Option(names = "--checkpoint-dir",
            description = "durable checkpoint storage, any Flink filesystem URI (file:///..., s3://...; a plain path means file://); retained on cancel (default: the cluster's execution.checkpointing.dir, or a temp directory on a local run)")
    String checkpointDir;

    @Option(names = "--savepoint-dir",
            description = "default savepoint target, any Flink filesystem URI; the snapshot catalog goes to <dir>/catalog (default: the cluster's execution.checkpointing.savepoint-dir)")
    String savepointDir;

    @Option(names = "--chunk-size", defaultValue = "50", description = "smallest preparer chunk, in transactions: a block is split into at most 2 chunks per preparer subtask, never smaller than this (default ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(names = "--chunks-per-preparer", defaultValue = "2",
            description = "a block is split into at most this many chunks per preparer subtask (0 = chunks of exactly --chunk-size); smaller chunks keep a busy preparer from stalling the sequencer's sends to the idle one, more chunks cost records and state entries (default ${DEFAULT-VALUE})")
    int chunksPerPreparer;

    @Option(names = "--preparer-queue", defaultValue = "4",
            description = "chunks each preparer subtask takes ahead, their signature checks on a pool shared by the JVM's preparers (0 = checks on the task thread; a savepoint taken with a queue restores only into a job with one) (default ${DEFAULT-VALUE})")
    int preparerQueue;

    @Option(names = "--prometheus-port", defaultValue = "0", description = "expose Flink metrics for Prometheus on this port (0 = off)")
    int prometheusPort;

    @Option(names = "--transactional-id-prefix", defaultValue = "bitquan-flow", description = "keep stable across restarts (default ${DEFAULT-VALUE})")
    String transactionalIdPrefix;

    @Option(names = "--delivery", defaultValue = "exactly-once",
            description = "exactly-once (Kafka transactions per checkpoint) or at-least-once (lower latency; consumers dedupe by chain id and feed sequence) (default ${DEFAULT-VALUE})")
    String delivery;

    @Option(names = "--undo-window", defaultValue = "100", description = "blocks that can be disconnected without a savepoint restore (default ${DEFAULT-VALUE})")
    int undoWindow;

    @Option(names = "--max-record-bytes",
            description = "largest chain-events record decoded; larger ones are dead letters before any decoding (default: the 16 MiB block cap + 1 MiB; only lower values are accepted)")
    Integer maxRecordBytes;

    static String defaultEngine() {
        return Engines.NAMES.contains("block-stm") ? "block-stm" : "sequential";
    }

    JobOptions toOptions() {
        JobOptions o = new JobOptions();
        o.engine = engine != null ? engine : defaultEngine();
        if (!Engines.NAMES.contains(o.engine)) {
            throw new Main.UserError("unknown engine '" + o.engine + "' (expected one of " + Engines.NAMES + ")");
        }
        if (!stateBackend.equals("rocksdb") && !stateBackend.equals("hashmap")) {
            throw new Main.UserError("--state-backend must be rocksdb or hashmap");
        }
        if (threads < 1 || parallelism < 1 || chunkSize < 1 || checkpointIntervalMs < 10) {
            throw new Main.UserError("--threads, --parallelism, --chunk-size must be >= 1 and --checkpoint-interval >= 10");
        }
        o.executorThreads = threads;
        o.parallelism = parallelism;
        o.stateBackend = stateBackend;
        o.checkpointInterval = Duration.ofMillis(checkpointIntervalMs);
        o.chunkSize = chunkSize;
        if (chunksPerPreparer < 0) {
            throw new Main.UserError("--chunks-per-preparer must be >= 0");
        }
        o.chunksPerPreparer = chunksPerPreparer;
        if (preparerQueue < 0) {
            throw new Main.UserError("--preparer-queue must be >= 0");
        }
        o.preparerQueue = preparerQueue;
        o.prometheusPort = prometheusPort;
        o.transactionalIdPrefix = transactionalIdPrefix;
        if (!delivery.equals("exactly-once") && !delivery.equals("at-least-once")) {
            throw new Main.UserError("--delivery must be exactly-once or at-least-once");
        }
        o.exactlyOnce = delivery.equals("exactly-once");
        o.checkpointDir = fileSystemUri("--checkpoint-dir", checkpointDir);
        o.savepointDir = fileSystemUri("--savepoint-dir", savepointDir);
        if (undoWindow < 1) {
            throw new Main.UserError("--undo-window must be >= 1");
        }
        o.undoWindow = undoWindow;
        if (maxRecordBytes != null) {
            int max = RecordLimits.DEFAULT.maxRecordBytes();
            if (maxRecordBytes < 1024 || maxRecordBytes > max) {
                // above the default nothing legal is larger (the block cap is consensus), and the
                // topics and clients are sized for the default
                throw new Main.UserError("--max-record-bytes must be between 1024 and " + max + " (got " + maxRecordBytes + ")");
            }
            o.maxRecordBytes = maxRecordBytes;
        }
        return o;
    }

    /**
     * A Flink filesystem URI as given ({@code scheme://...}), or a plain path made absolute as a
     * {@code file:} URI: a relative path would otherwise resolve against each JVM's own working
     * directory on a cluster.
     */
    static String fileSystemUri(String flag, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new Main.UserError(flag + " must not be empty");
        }
        if (value.contains("://")) {
            try {
                URI uri = new URI(value);
                if (uri.getScheme() == null) {
                    throw new Main.UserError(flag + " '" + value + "' has no scheme");
                }
                return uri.toString();
            } catch (URISyntaxException e) {
                throw new Main.UserError(flag + " '" + value + "' is not a URI: " + e.getMessage());
            }
        }
        try {
            return Path.of(value).toAbsolutePath().normalize().toUri().toString();
        } catch (InvalidPathException e) {
            throw new Main.UserError(flag + " '" + value + "' is not a path: " + e.getMessage());
        }
    }
}
