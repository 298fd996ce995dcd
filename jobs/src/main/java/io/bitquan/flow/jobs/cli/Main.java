package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.chainfile.ChainFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./bitquan-flow <command>}. Command names, flags and output lines are contracts that
 * users' scripts rely on (docs/CLI.md): add, never rename.
 */
@Command(name = "bitquan-flow", mixinStandardHelpOptions = true, version = "bitquan-flow 0.1.0",
        description = "Deterministic parallel block execution for a BitQuan-style chain.",
        subcommands = {GenerateCommand.class, ExecuteCommand.class, DemoCommand.class, RunCommand.class, BenchCommand.class,
            ReorgRestoreCommand.class, SavepointCommand.class})
public final class Main implements Runnable {

    /** Exit code for bad input (missing chain directory, unreadable files, bad flags). */
    public static final int EXIT_USAGE = 2;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        // Avro's decoding limits for every file and record this JVM reads (see RecordLimits)
        io.bitquan.flow.kafka.serde.AvroLimits.install(io.bitquan.flow.kafka.serde.RecordLimits.DEFAULT);
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> EXIT_USAGE);
        cli.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage());
            return EXIT_USAGE;
        });
        // Numeric flags are checked in one place, for every command, before any command runs.
        cli.setExecutionStrategy(parseResult -> {
            NumericFlags.check(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            String message = userMessage(ex);
            if (message != null) {
                commandLine.getErr().println("error: " + message);
                return EXIT_USAGE;
            }
            throw ex;
        });
        return cli.execute(args);
    }

    /**
     * The one-line message of a user error: a {@link UserError}, or a damaged chain directory
     * found by any command while it runs (a {@link ChainFileException} anywhere in the causes).
     */
    static String userMessage(Throwable ex) {
        if (ex instanceof UserError) {
            return ex.getMessage();
        }
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ChainFileException) {
                return t.getMessage();
            }
        }
        return null;
    }

    /** A problem with the user's input: printed as one line, exit code 2, no stack trace. */
    public static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public UserError(String message) {
            super(message, null, false, false);
        }
    }
}
