package io.bitquan.flow.jobs.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * Entry class of the cluster job jar ({@code jobs/target/bitquan-flow-job.jar}): the flags of
 * {@code ./bitquan-flow run}, without the word {@code run}. For {@code flink run} and the REST
 * API ({@code POST /jars/:id/run} with {@code programArgsList}).
 *
 * <p>Unlike {@link Main} it never calls {@code System.exit}: under a REST submission this method
 * runs inside the JobManager. A bad flag or any failure becomes an exception, which Flink reports
 * to whoever submitted; Flink's own control-flow exceptions (plan extraction) pass through
 * unchanged.
 */
public final class ClusterEntry {
    private ClusterEntry() {}

    public static void main(String[] args) throws Exception {
        StringWriter errors = new StringWriter();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CommandLine cli = new CommandLine(new RunCommand());
        cli.setErr(new PrintWriter(errors, true));
        cli.setParameterExceptionHandler((ex, a) -> {
            errors.append(ex.getMessage());
            return Main.EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof Main.UserError) {
                errors.append(ex.getMessage());
                return Main.EXIT_USAGE;
            }
            failure.set(ex);
            return 1;
        });
        int code = cli.execute(args);
        if (failure.get() != null) {
            throw failure.get();
        }
        if (code != 0) {
            throw new IllegalArgumentException("bitquan-flow run: " + errors.toString().strip() + " (exit code " + code + ")");
        }
    }
}
