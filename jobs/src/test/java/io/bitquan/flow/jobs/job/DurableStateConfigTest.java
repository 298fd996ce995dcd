package io.bitquan.flow.jobs.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;
import org.rocksdb.CompressionType;

/** The effective Flink configuration of the job: what makes its state durable. */
class DurableStateConfigTest {

    @Test
    void defaultsAreDurableIncrementalRocksDbRetainedOnCancelWithExponentialRestarts() {
        Configuration conf = ChainJob.flinkConfig(new JobOptions());
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF)).isEqualTo(Duration.ofSeconds(1));
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF)).isEqualTo(Duration.ofMinutes(1));
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_ATTEMPTS)).isEqualTo(10);
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_RESET_BACKOFF_THRESHOLD))
                .isEqualTo(Duration.ofMinutes(10));
        // no directories given: the cluster's config.yaml decides (nothing set here to override it)
        assertThat(conf.contains(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isFalse();
        assertThat(conf.contains(CheckpointingOptions.SAVEPOINT_DIRECTORY)).isFalse();
        assertThat(conf.contains(StateRecoveryOptions.SAVEPOINT_PATH)).isFalse();
    }

    @Test
    void directoriesAndRestorePathBecomeTheFlinkKeys() {
        JobOptions o = new JobOptions();
        o.checkpointDir = "s3://bucket/bitquan/checkpoints";
        o.savepointDir = "file:///var/lib/bitquan/savepoints";
        o.restorePath = "file:///var/lib/bitquan/savepoints/savepoint-abc";
        o.incrementalCheckpoints = false;
        Configuration conf = ChainJob.flinkConfig(o);
        assertThat(conf.toMap())
                .containsEntry("execution.checkpointing.dir", "s3://bucket/bitquan/checkpoints")
                .containsEntry("execution.checkpointing.storage", "filesystem")
                .containsEntry("execution.checkpointing.savepoint-dir", "file:///var/lib/bitquan/savepoints")
                .containsEntry("execution.state-recovery.path", "file:///var/lib/bitquan/savepoints/savepoint-abc")
                .containsEntry("execution.checkpointing.incremental", "false")
                .containsEntry("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
    }

    @Test
    void rocksDbStoresSstFilesUncompressedUnlessAsked() {
        assertThat(ChainJob.flinkConfig(new JobOptions()).get(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL))
                .containsExactly(CompressionType.NO_COMPRESSION);
        JobOptions compressed = new JobOptions();
        compressed.rocksDbCompression = true;
        Configuration conf = ChainJob.flinkConfig(compressed);
        assertThat(conf.contains(RocksDBConfigurableOptions.COMPRESSION_PER_LEVEL)).isFalse(); // Flink's default (Snappy)
    }

    @Test
    void rocksDbKeepsBloomFiltersUnlessTurnedOff() {
        assertThat(ChainJob.flinkConfig(new JobOptions()).get(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isTrue();
        JobOptions plain = new JobOptions();
        plain.rocksDbBloomFilter = false;
        assertThat(ChainJob.flinkConfig(plain).contains(RocksDBConfigurableOptions.USE_BLOOM_FILTER)).isFalse(); // Flink's default (none)
    }

    @Test
    void chunkSizedNetworkBuffersAreOptInAndKeepFlinksBufferCount() {
        Configuration plain = ChainJob.flinkConfig(new JobOptions()); // default: Flink's own buffers
        assertThat(plain.contains(TaskManagerOptions.MEMORY_SEGMENT_SIZE)).isFalse();
        assertThat(plain.contains(TaskManagerOptions.NETWORK_MEMORY_MIN)).isFalse();
        JobOptions chunkSized = new JobOptions();
        chunkSized.networkSegmentKb = 128;
        Configuration conf = ChainJob.flinkConfig(chunkSized);
        assertThat(conf.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE)).isEqualTo(MemorySize.parse("128kb"));
        assertThat(conf.get(TaskManagerOptions.NETWORK_MEMORY_MIN)).isEqualTo(MemorySize.parse("256mb"));
        assertThat(conf.get(TaskManagerOptions.NETWORK_MEMORY_MAX)).isEqualTo(MemorySize.parse("256mb"));
    }

    @Test
    void prefixedPropertiesSetFlinkKeysLastAndNothingElse() {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("bitquan.flink.taskmanager.memory.framework.heap.size", "256mb");
        props.setProperty("bitquan.flink.execution.checkpointing.incremental", "false");
        props.setProperty("bitquan.flink.", "ignored: no key");
        props.setProperty("bitquan.broker.num.io.threads", "2");
        Configuration conf = ChainJob.flinkConfig(new JobOptions());
        int before = conf.keySet().size();
        ChainJob.overrides(conf, props);
        assertThat(conf.toMap())
                .containsEntry("taskmanager.memory.framework.heap.size", "256mb")
                .containsEntry("execution.checkpointing.incremental", "false") // applied after the job's own
                .doesNotContainKey("num.io.threads")
                .doesNotContainKey("");
        assertThat(conf.keySet()).hasSize(before + 1);
    }

    @Test
    void aLocalRunWithoutCheckpointDirGetsAFreshTempDirectory() {
        JobOptions a = ChainJob.forLocalRun(new JobOptions());
        JobOptions b = ChainJob.forLocalRun(new JobOptions());
        assertThat(a.checkpointDir).startsWith("file:/").isNotEqualTo(b.checkpointDir);
        JobOptions given = new JobOptions();
        given.checkpointDir = "file:///x";
        assertThat(ChainJob.forLocalRun(given).checkpointDir).isEqualTo("file:///x");
    }
}
