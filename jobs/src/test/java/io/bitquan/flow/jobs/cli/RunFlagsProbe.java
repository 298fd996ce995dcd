package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.jobs.job.JobOptions;
import picocli.CommandLine;

/** Parses the flags of {@code run} (as the cluster entry class gets them) into job options, for tests outside this package. */
public final class RunFlagsProbe {
    private RunFlagsProbe() {}

    public static JobOptions parse(String... args) {
        RunCommand run = new RunCommand();
        new CommandLine(run).parseArgs(args);
        return run.flags.toOptions();
    }
}
