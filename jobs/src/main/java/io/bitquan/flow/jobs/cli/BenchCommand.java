package io.bitquan.flow.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bench <what>}: benchmarks. Each kind is a subcommand; add one by listing its class. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
        subcommands = {BenchEngineCommand.class, BenchJobCommand.class, BenchLthashCommand.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
