package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.jobs.job.ChainJob;
import io.bitquan.flow.jobs.job.JobOptions;
import io.bitquan.flow.jobs.job.KafkaChainJob;
import io.bitquan.flow.jobs.reorg.FeedTail;
import io.bitquan.flow.jobs.reorg.FlinkRest;
import io.bitquan.flow.jobs.reorg.JobSubmitter;
import io.bitquan.flow.jobs.reorg.SnapshotCatalog;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.flink.api.common.JobID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reorg-restore}: repairs a reorg deeper than the undo window (docs/REORGS.md). Picks the
 * newest catalogued snapshot at or below the fork height, stops the running job
 * (stop-with-savepoint, or cancel if that fails), and resubmits the job from that snapshot through
 * the cluster's REST API, with an undo window deep enough for the replayed reorg and feed
 * sequence numbers continuing above everything already published. The replay (the orphaned
 * branch, its disconnects, the new branch) then runs through the ordinary disconnect path.
 */
@Command(name = "reorg-restore", mixinStandardHelpOptions = true,
        description = "Restore the job from the newest savepoint at or below --fork-height and resubmit it (deep reorgs).")
public final class ReorgRestoreCommand implements Callable<Integer> {

    @Option(names = "--fork-height", required = true, description = "height of the last block both branches share")
    long forkHeight;

    @Option(names = "--rest", required = true, description = "Flink REST endpoint, e.g. http://localhost:8081")
    String rest;

    @Option(names = "--job-id", description = "the job to stop (default: the only running job)")
    String jobId;

    @Option(names = "--chain-id", description = "chain whose fork this is (default: the only chain in --genesis)")
    String chainId;

    @Option(names = "--catalog-dir", description = "snapshot catalog (default: <savepoint-dir>/catalog)")
    String catalogDir;

    @Option(names = "--dry-run", description = "print the catalog and the chosen snapshot; stop and submit nothing")
    boolean dryRun;

    @Option(names = "--bootstrap", required = true, description = "Kafka bootstrap servers HOST:PORT[,...]")
    String bootstrap;

    @Option(names = "--genesis", required = true, split = ",",
            description = "genesis of each chain served (as for run): a chain directory or a genesis.avro file")
    List<Path> genesis;

    @Option(names = "--topic-prefix", defaultValue = "", description = "prefix for every topic name (as for run)")
    String topicPrefix;

    @Option(names = "--group", defaultValue = "bitquan-flow", description = "consumer group id (as for run)")
    String group;

    @Mixin
    JobFlags flags = new JobFlags();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        JobOptions options = flags.toOptions();
        options.consumerGroup = group;
        if (options.savepointDir == null) {
            throw new Main.UserError("--savepoint-dir is required (where the catalog's savepoints are, and where the stop goes)");
        }
        if (catalogDir != null) {
            options.catalogDir = catalogDir;
        }
        List<Genesis> chains = Chains.readGeneses(genesis);
        ChainCatalog catalog = ChainCatalog.of(chains);
        String chain = chainId != null ? chainId : onlyChain(catalog);
        if (!catalog.serves(chain)) {
            throw new Main.UserError("chain '" + chain + "' is not in --genesis (have " + catalog.chains() + ")");
        }
        List<SnapshotCatalog.Restorable> restorable = SnapshotCatalog.restorable(ChainJob.catalogDir(options), chain,
                options.savepointDir, options.checkpointDir);
        for (SnapshotCatalog.Restorable r : restorable) {
            out.println("catalog: height " + r.entry().height() + " block " + r.entry().blockHash() + " root "
                    + r.entry().stateRoot() + " snapshot " + r.path());
        }
        Optional<SnapshotCatalog.Restorable> chosen = SnapshotCatalog.atOrBelow(restorable, forkHeight);
        if (chosen.isEmpty()) {
            throw new Main.UserError("no savepoint or retained checkpoint at or below height " + forkHeight + " for chain "
                    + chain + " in " + ChainJob.catalogDir(options) + " (" + restorable.size() + " restorable entries)");
        }
        SnapshotCatalog.Restorable from = chosen.get();
        out.println("chosen: height " + from.entry().height() + " (fork height " + forkHeight + ") snapshot " + from.path());
        if (dryRun) {
            return 0;
        }
        try (FlinkRest cluster = new FlinkRest(rest)) {
            JobID running = jobId != null ? JobID.fromHexString(jobId) : onlyRunning(cluster);
            if (running != null) {
                stop(cluster, running, options, out);
            }
            TopicNames topics = TopicNames.prefixed(topicPrefix);
            FeedTail tail = FeedTail.read(bootstrap, topics, chain);
            options.feedSequenceFloor = tail.maxSequence() + 1;
            long depth = tail.maxHeight() - from.entry().height() + 2;
            options.undoWindow = (int) Math.max(options.undoWindow, Math.min(Integer.MAX_VALUE, depth));
            ChainJob job = KafkaChainJob.create(bootstrap, topics, catalog, options, false);
            JobID restored = JobSubmitter.submit(cluster, job, options, "bitquan-flow " + String.join(",", catalog.chains()),
                    from.path());
            out.println("submitted: job " + restored + " from " + from.path() + " (undo window " + options.undoWindow
                    + ", feed sequence from " + options.feedSequenceFloor + ")");
        }
        return 0;
    }

    private static void stop(FlinkRest cluster, JobID job, JobOptions options, PrintStream out) throws Exception {
        try {
            String path = cluster.stopWithSavepoint(job, options.savepointDir);
            out.println("stopped: job " + job + " with savepoint " + path);
        } catch (Exception e) {
            out.println("stop-with-savepoint failed (" + rootMessage(e) + "): cancelling job " + job);
            cluster.cancel(job);
        }
        out.println("job " + job + " " + cluster.awaitTerminal(job));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static JobID onlyRunning(FlinkRest cluster) throws Exception {
        List<JobID> active = cluster.activeJobs();
        if (active.size() > 1) {
            throw new Main.UserError(active.size() + " jobs are running " + active + ": name one with --job-id");
        }
        return active.isEmpty() ? null : active.get(0);
    }

    private static String onlyChain(ChainCatalog catalog) {
        if (catalog.chains().size() != 1) {
            throw new Main.UserError("--genesis serves " + catalog.chains() + ": name the forked chain with --chain-id");
        }
        return catalog.chains().iterator().next();
    }
}
