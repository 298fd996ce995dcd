package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.jobs.job.JobOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The durable-state flags as {@code run} (and the cluster entry class) parse them. */
class JobFlagsTest {

    private static JobOptions parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(Cli.concat(new String[] {"--bootstrap", "b:9092", "--genesis", "g"}, args));
        return run.flags.toOptions();
    }

    @Test
    void uriFlagsPassThroughAndPlainPathsBecomeAbsoluteFileUris() {
        JobOptions o = parse("--checkpoint-dir", "s3://bucket/cp", "--savepoint-dir", "rel/sp");
        assertThat(o.checkpointDir).isEqualTo("s3://bucket/cp");
        assertThat(o.savepointDir).isEqualTo(Path.of("rel/sp").toAbsolutePath().toUri().toString());
        assertThat(o.savepointDir).startsWith("file:/");
    }

    @Test
    void withoutFlagsNothingIsSet() {
        JobOptions o = parse();
        assertThat(o.checkpointDir).isNull();
        assertThat(o.savepointDir).isNull();
    }

    @Test
    void badUrisAreUserErrors() {
        assertThatThrownBy(() -> parse("--checkpoint-dir", "file:// bad uri")).isInstanceOf(Main.UserError.class)
                .hasMessageContaining("--checkpoint-dir");
        assertThatThrownBy(() -> parse("--savepoint-dir", " ")).isInstanceOf(Main.UserError.class);
    }

    @Test
    void clusterEntryRejectsBadFlagsWithAnExceptionInsteadOfExiting() {
        assertThatThrownBy(() -> ClusterEntry.main(new String[] {"--bootstrap", "b:9092"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--genesis");
        assertThatThrownBy(() -> ClusterEntry.main(new String[] {"--bootstrap", "b:9092", "--genesis", "/nonexistent-chain"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot read genesis");
    }

    @Test
    void maxRecordBytesDefaultsToTheBlockCapPlusHeadroomAndOnlyGoesLower() {
        int max = io.bitquan.flow.kafka.serde.RecordLimits.DEFAULT.maxRecordBytes();
        assertThat(parse().maxRecordBytes).isEqualTo(max);
        assertThat(parse("--max-record-bytes", "65536").maxRecordBytes).isEqualTo(65536);
        assertThatThrownBy(() -> parse("--max-record-bytes", String.valueOf(max + 1))).isInstanceOf(Main.UserError.class)
                .hasMessage("--max-record-bytes must be between 1024 and " + max + " (got " + (max + 1) + ")");
        assertThatThrownBy(() -> parse("--max-record-bytes", "1023")).isInstanceOf(Main.UserError.class);
    }
}
