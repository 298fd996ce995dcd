package io.bitquan.flow.jobs.reorg;

import io.bitquan.flow.jobs.job.BlockResults;
import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.model.avro.BlockResult;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.flink.api.common.JobID;

/**
 * Periodic savepoints every N blocks ({@code --savepoint-every N}): watches the job's
 * {@code block-results} (read_committed) and, when the chain's tip reaches a height that is a
 * multiple of N, triggers a savepoint through the REST API. The committer catalogs each one,
 * so {@code reorg-restore} always finds one within N blocks below a fork. Runs beside the job
 * (a thread of {@code demo}, or {@code savepoint --every N} as a sidecar), never inside it: a
 * job cannot take its own savepoint.
 */
public final class SavepointScheduler implements Runnable {
    private final String rest;
    private final JobID job;
    private final String bootstrap;
    private final String resultsTopic;
    private final int every;
    private final String dir;
    private final Consumer<String> log;
    private volatile boolean stopped;

    public SavepointScheduler(String rest, JobID job, String bootstrap, String resultsTopic, int every, String dir,
                              Consumer<String> log) {
        if (every < 1) {
            throw new IllegalArgumentException("--savepoint-every must be >= 1");
        }
        this.rest = rest;
        this.job = job;
        this.bootstrap = bootstrap;
        this.resultsTopic = resultsTopic;
        this.every = every;
        this.dir = dir;
        this.log = log;
    }

    /** Whether this result calls for a savepoint, given the height of the last one taken. */
    public static boolean due(BlockResult r, int every, long lastSavedHeight) {
        return r.getAccepted() && !r.getDisconnected() && r.getHeight() % every == 0 && r.getHeight() > lastSavedHeight;
    }

    public void stop() {
        stopped = true;
    }

    /** Until {@link #stop()} or the job ends. */
    @Override
    public void run() {
        long lastSaved = 0;
        try (FlinkRest flink = new FlinkRest(rest); FeedReader reader = new FeedReader(bootstrap, resultsTopic)) {
            while (!stopped && !flink.status(job).isGloballyTerminalState()) {
                for (byte[] v : reader.poll(Duration.ofMillis(200))) {
                    BlockResult r = BlockResults.decode(v);
                    if (due(r, every, lastSaved) && !stopped) {
                        lastSaved = r.getHeight();
                        log.accept("savepoint at height " + r.getHeight() + ": " + flink.savepoint(job, dir));
                    }
                }
            }
        } catch (Exception e) {
            if (!stopped) {
                log.accept("savepoint scheduler stopped: " + e);
            }
        }
    }
}
