package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.jobs.reorg.FlinkRest;
import io.bitquan.flow.jobs.reorg.SavepointScheduler;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code savepoint}: an on-demand savepoint of the running job through the REST API. The job's
 * committer catalogs it (chain tip per snapshot), so {@code reorg-restore} can pick it by height.
 */
@Command(name = "savepoint", mixinStandardHelpOptions = true,
        description = "Take a savepoint of the running job now (catalogued for reorg-restore); prints savepoint=<path>.")
public final class SavepointCommand implements Callable<Integer> {

    @Option(names = "--rest", required = true, description = "Flink REST endpoint, e.g. http://localhost:8081")
    String rest;

    @Option(names = "--job-id", description = "default: the only running job")
    String jobId;

    @Option(names = "--savepoint-dir", required = true, description = "target directory (a Flink filesystem URI)")
    String savepointDir;

    @Option(names = "--every", defaultValue = "0",
            description = "0 = one savepoint now; N = keep running beside the job and take one each time the chain reaches a multiple of N blocks (reads block-results)")
    int every;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (with --every)")
    String bootstrap;

    @Option(names = "--topic-prefix", defaultValue = "", description = "topic prefix of the job (with --every)")
    String topicPrefix;

    @Override
    public Integer call() throws Exception {
        try (FlinkRest cluster = new FlinkRest(rest)) {
            JobID job;
            if (jobId != null) {
                job = JobID.fromHexString(jobId);
            } else {
                List<JobID> active = cluster.activeJobs();
                if (active.size() != 1) {
                    throw new Main.UserError(active.size() + " jobs are running " + active + ": name one with --job-id");
                }
                job = active.get(0);
            }
            if (every > 0) {
                if (bootstrap == null) {
                    throw new Main.UserError("--every needs --bootstrap (it follows block-results)");
                }
                new SavepointScheduler(rest, job, bootstrap,
                        TopicNames.prefixed(topicPrefix).name(Topic.BLOCK_RESULTS), every, savepointDir, System.out::println).run();
                return 0;
            }
            System.out.println("savepoint=" + cluster.savepoint(job, savepointDir));
        }
        return 0;
    }
}
