package io.bitquan.flow.jobs.cli;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * One rule table for every numeric flag of every command, checked after parsing and before any
 * command runs, so a flag another command adds later is covered without touching it. Only
 * values the user typed are checked: defaults such as {@code --threads 0} ("all processors" in
 * {@code execute}) stay internal sentinels.
 *
 * <p>Rules, first match wins: the table below by flag name; any {@code -port} flag is 0..65535;
 * any flag with {@code seed} in its name takes every value; every other integer flag (sizes,
 * counts, intervals, timeouts) must not be negative.
 */
final class NumericFlags {

    /** Inclusive range for one flag. */
    record Range(long min, long max) {
        boolean contains(long v) {
            return v >= min && v <= max;
        }

        String describe() {
            if (max == Long.MAX_VALUE) {
                return "at least " + min;
            }
            return "between " + min + " and " + max;
        }
    }

    private static final long MAX = Long.MAX_VALUE;
    private static final Range NON_NEGATIVE = new Range(0, MAX);
    private static final Range ANY = new Range(Long.MIN_VALUE, MAX);
    private static final Range PORT = new Range(0, 65_535);

    /** Flags where 0 makes no sense; upper bounds only where a larger value is surely a typo. */
    static final Map<String, Range> RULES = Map.ofEntries(
            Map.entry("--threads", new Range(1, 4096)),
            Map.entry("--parallelism", new Range(1, 32_768)),
            Map.entry("--blocks", new Range(1, MAX)),
            Map.entry("--txs", new Range(1, MAX)),
            Map.entry("--accounts", new Range(1, MAX)),
            Map.entry("--holders", new Range(1, MAX)),
            Map.entry("--chunk-size", new Range(1, MAX)),
            Map.entry("--chunks-per-preparer", new Range(0, 1_000)),
            Map.entry("--preparer-queue", new Range(0, 1_000)),
            Map.entry("--checkpoint-interval", new Range(1, MAX)),
            Map.entry("--replication", new Range(1, Short.MAX_VALUE)),
            Map.entry("--timeout", new Range(1, MAX)),
            Map.entry("--sizes", new Range(1, MAX)),
            Map.entry("--reps", new Range(1, MAX)));

    private NumericFlags() {}

    static Range rule(String name) {
        Range r = RULES.get(name);
        if (r != null) {
            return r;
        }
        if (name.endsWith("-port")) {
            return PORT;
        }
        if (name.contains("seed")) {
            return ANY;
        }
        return NON_NEGATIVE;
    }

    /** Throws a one-line ParameterException for the first typed value out of range, in command-line order. */
    static void check(ParseResult parsed) {
        for (ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
            for (OptionSpec option : pr.matchedOptions()) {
                Range range = rule(option.longestName());
                for (Number n : numbers(option.getValue())) {
                    if (!range.contains(n.longValue())) {
                        throw new CommandLine.ParameterException(pr.commandSpec().commandLine(),
                                option.longestName() + " must be " + range.describe() + " (got " + n + ")");
                    }
                }
            }
        }
    }

    /**
     * The same rules for a command that parses its own flags ({@code bench engine}): the first
     * value out of range is a one-line user error, exactly as for picocli options.
     */
    static void require(String name, long value) {
        Range range = rule(name);
        if (!range.contains(value)) {
            throw new Main.UserError(name + " must be " + range.describe() + " (got " + value + ")");
        }
    }

    /** The integer values an option holds: a number, or the numbers of a list or array option. */
    private static List<Number> numbers(Object value) {
        List<Number> out = new ArrayList<>();
        if (value instanceof Number n && !(value instanceof Double || value instanceof Float)) {
            out.add(n);
        } else if (value instanceof Collection<?> c) {
            c.forEach(v -> out.addAll(numbers(v)));
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                out.addAll(numbers(Array.get(value, i)));
            }
        }
        return out;
    }
}
