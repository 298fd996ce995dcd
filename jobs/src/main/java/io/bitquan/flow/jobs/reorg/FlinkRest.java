package io.bitquan.flow.jobs.reorg;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.streaming.api.graph.StreamGraph;

/**
 * A Flink cluster through its REST API (Flink's own REST client): the same calls work against a
 * standalone session cluster and a MiniCluster's REST endpoint. Savepoints in canonical format
 * (portable across state backends).
 */
public final class FlinkRest implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private final RestClusterClient<StandaloneClusterId> client;

    public FlinkRest(String url) throws Exception {
        URI uri = URI.create(url);
        Configuration conf = new Configuration();
        conf.set(RestOptions.ADDRESS, uri.getHost());
        conf.set(RestOptions.PORT, uri.getPort() > 0 ? uri.getPort() : 8081);
        client = new RestClusterClient<>(conf, StandaloneClusterId.getInstance());
    }

    /** Jobs that are not finished (running, restarting, ...). */
    public List<JobID> activeJobs() throws Exception {
        return client.listJobs().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS).stream()
                .filter(j -> !j.getJobState().isGloballyTerminalState())
                .map(JobStatusMessage::getJobId).toList();
    }

    public JobStatus status(JobID job) throws Exception {
        return client.getJobStatus(job).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Triggers a savepoint of a running job; returns its path. */
    public String savepoint(JobID job, String dir) throws Exception {
        return client.triggerSavepoint(job, dir, SavepointFormatType.CANONICAL).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Stops the job with a savepoint; returns its path. */
    public String stopWithSavepoint(JobID job, String dir) throws Exception {
        return client.stopWithSavepoint(job, false, dir, SavepointFormatType.CANONICAL)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    public void cancel(JobID job) throws Exception {
        client.cancel(job).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits until the job reaches a terminal state. */
    public JobStatus awaitTerminal(JobID job) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            JobStatus s = status(job);
            if (s.isGloballyTerminalState() || System.nanoTime() > deadline) {
                return s;
            }
            Thread.sleep(100);
        }
    }

    public JobID submit(StreamGraph graph) throws Exception {
        return client.submitJob(graph).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close();
    }
}
