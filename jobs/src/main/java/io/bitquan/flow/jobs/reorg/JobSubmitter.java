package io.bitquan.flow.jobs.reorg;

import io.bitquan.flow.jobs.job.ChainJob;
import io.bitquan.flow.jobs.job.JobOptions;
import java.io.File;
import java.net.URISyntaxException;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * Submits the chain job to a cluster through REST, optionally restored from a savepoint. Built
 * in this JVM with the same graph (and operator uids) as {@code run}; when the CLI runs from
 * the shaded jar, that jar is attached so a standalone cluster can load the job's classes.
 */
public final class JobSubmitter {
    private JobSubmitter() {}

    public static JobID submit(FlinkRest rest, ChainJob job, JobOptions options, String name, String savepointPath)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(ChainJob.flinkConfig(options));
        env.setParallelism(options.parallelism);
        job.build(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(name);
        if (savepointPath != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepointPath, false));
        }
        File own = ownJar();
        if (own != null) {
            graph.addJar(new Path(own.toURI()));
        }
        // the client's side of a submission: user functions travel serialized
        graph.serializeUserDefinedInstances();
        return rest.submit(graph);
    }

    private static File own() throws URISyntaxException {
        return new File(JobSubmitter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static File ownJar() {
        try {
            File f = own();
            return f.isFile() && f.getName().endsWith(".jar") ? f : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
