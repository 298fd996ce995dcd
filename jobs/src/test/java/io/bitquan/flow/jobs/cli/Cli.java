package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs a command line in-process, as a user's shell would, capturing what it prints. */
final class Cli {
    private Cli() {}

    /** The exit code and the stdout / stderr lines of one run. */
    record Run(int exit, List<String> out, List<String> err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8).lines().toList(),
                    err.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** stdout of a run that must succeed. */
    static List<String> stdout(String... args) {
        Run run = run(args);
        assertThat(run.exit()).as(String.join(" ", args) + "\n" + String.join("\n", run.err())).isZero();
        return run.out();
    }

    static String[] concat(String[] a, String[] b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
