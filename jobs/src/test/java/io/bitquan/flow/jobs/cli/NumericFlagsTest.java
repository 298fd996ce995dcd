package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Numeric flags follow one rule table in every command, including flags added after this test. */
class NumericFlagsTest {
    private static final Set<Class<?>> INTEGERS = Set.of(int.class, long.class, short.class, byte.class,
            Integer.class, Long.class, Short.class, Byte.class);

    static void assertOneLineUsageError(Cli.Run run, String message) {
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).containsExactly("error: " + message);
    }

    @Test
    void outOfRangeValuesAreOneLineErrorsWithExitCode2InEveryCommand() {
        assertOneLineUsageError(Cli.run("execute", "--chain", "nope", "--threads", "0"), "--threads must be between 1 and 4096 (got 0)");
        assertOneLineUsageError(Cli.run("generate", "--out", "nope", "--blocks", "-1"), "--blocks must be at least 1 (got -1)");
        assertOneLineUsageError(Cli.run("generate", "--out", "nope", "--invalid-every", "-2"), "--invalid-every must be at least 0 (got -2)");
        assertOneLineUsageError(Cli.run("demo", "--parallelism", "0"), "--parallelism must be between 1 and 32768 (got 0)");
        assertOneLineUsageError(Cli.run("demo", "--web-ui-port", "70000"), "--web-ui-port must be between 0 and 65535 (got 70000)");
        assertOneLineUsageError(Cli.run("run", "--bootstrap", "x:1", "--genesis", "nope", "--checkpoint-interval", "0"),
                "--checkpoint-interval must be at least 1 (got 0)");
        assertOneLineUsageError(Cli.run("bench", "job", "--txs", "-5"), "--txs must be at least 1 (got -5)");
        // bench engine parses its own flags; the same table applies
        assertOneLineUsageError(Cli.run("bench", "engine", "--threads", "1,0"), "--threads must be between 1 and 4096 (got 0)");
        assertOneLineUsageError(Cli.run("bench", "engine", "--sizes", "-10"), "--sizes must be at least 1 (got -10)");
        assertOneLineUsageError(Cli.run("bench", "engine", "--reps", "0"), "need workloads, sizes, threads, reps >= 1, warmup >= 0");
    }

    @Test
    void seedsTakeAnyValueAndDefaultsAreNotChecked() {
        CommandLine cli = new CommandLine(new Main());
        NumericFlags.check(cli.parseArgs("generate", "--out", "x", "--seed", "-7"));
        NumericFlags.check(cli.parseArgs("execute", "--chain", "x")); // --threads defaults to 0 = all processors
    }

    /** Every integer option of every command rejects -1 unless it is a seed: new flags are covered automatically. */
    @Test
    void everyIntegerOptionOfEveryCommandIsChecked() {
        List<String> checked = new ArrayList<>();
        visit(new CommandLine(new Main()), new ArrayList<>(), checked);
        assertThat(checked).contains("execute --threads", "demo --parallelism", "run --replication", "generate --txs");
    }

    private static void visit(CommandLine command, List<String> path, List<String> checked) {
        for (OptionSpec option : command.getCommandSpec().options()) {
            Class<?> type = option.typeInfo().isMultiValue() && !option.typeInfo().getAuxiliaryTypeInfos().isEmpty()
                    ? option.typeInfo().getAuxiliaryTypeInfos().get(0).getType() : option.typeInfo().getType();
            if (!INTEGERS.contains(type) || option.longestName().contains("seed")) {
                continue;
            }
            List<String> args = new ArrayList<>(path.subList(1, path.size()));
            args.add(command.getCommandName());
            for (OptionSpec required : command.getCommandSpec().options()) {
                if (required.required() && required != option) {
                    // a valid value of the required option's own type, so only the option under test is wrong
                    args.addAll(List.of(required.longestName(), INTEGERS.contains(required.typeInfo().getType()) ? "1" : "x"));
                }
            }
            args.addAll(List.of(option.longestName(), "-1"));
            CommandLine root = new CommandLine(new Main());
            String label = command.getCommandName() + " " + option.longestName();
            assertThatThrownBy(() -> NumericFlags.check(root.parseArgs(args.toArray(String[]::new)))).as(label)
                    .isInstanceOf(CommandLine.ParameterException.class)
                    .hasMessageStartingWith(option.longestName() + " must be");
            checked.add(label);
        }
        List<String> next = new ArrayList<>(path);
        next.add(command.getCommandName());
        command.getSubcommands().values().forEach(sub -> visit(sub, next, checked));
    }
}
