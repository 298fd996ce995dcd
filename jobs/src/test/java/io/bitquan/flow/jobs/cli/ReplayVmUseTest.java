package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every runner that replays a chain in the jobs and operators code (the job's executor, {@code bench
 * job}'s reference, {@code execute}, the demo's reference runner, the determinism probe) creates its
 * engine over {@code ReplayVm.of(...)}, so none runs or is measured without the key-hash cache by
 * accident (round 18: the job's executor held key hashes and the reference did not, so
 * {@code job/standalone=} counted the cache as the job's gain). Read from the sources (the test
 * runs in the jobs module's directory, as Maven runs it): each {@code Engines.create(...)} call's
 * arguments must name {@code ReplayVm.of(}, and no engine is built by its constructor there.
 * {@code bench engine} builds its engines in {@code execution.bench}, outside these trees, over the
 * bare VM on purpose.
 */
class ReplayVmUseTest {
    private static final List<Path> TREES = List.of(Path.of("src/main/java"), Path.of("../operators/src/main/java"));
    private static final List<String> CONSTRUCTORS = List.of("new SequentialEngine(", "new BlockStmEngine(", "new TwoPhaseEngine(");

    /** One {@code Engines.create} call: the file and the text between its parentheses. */
    private record Creation(Path file, String args) {}

    @Test
    void everyRunnersEngineIsCreatedOverTheReplayVm() throws IOException {
        List<Creation> creations = new ArrayList<>();
        for (Path tree : TREES) {
            assertThat(tree).as("run from the jobs module's directory").isDirectory();
            try (Stream<Path> files = Files.walk(tree)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(f -> {
                    String source = read(f);
                    for (String constructor : CONSTRUCTORS) {
                        assertThat(source).as("%s builds an engine itself: create it with Engines.create over ReplayVm.of", f)
                                .doesNotContain(constructor);
                    }
                    creations.addAll(creations(f, source));
                });
            }
        }
        assertThat(creations).extracting(c -> c.file().getFileName().toString())
                .as("the runners this test knows of (a runner moved elsewhere must be found again)")
                .containsAll(Set.of("BlockExecutor.java", "BenchJobCommand.java", "ExecuteCommand.java", "DemoCommand.java",
                        "DeterminismProbe.java"));
        for (Creation c : creations) {
            assertThat(c.args()).as("Engines.create in %s", c.file()).contains("ReplayVm.of(");
        }
    }

    @Test
    void findsTheArgumentsOfEachCallAcrossLinesAndNestedCalls() {
        List<Creation> found = creations(Path.of("X.java"),
                "a = Engines.create(name, 1,\n    ReplayVm.of(Vms.chainVm())); b = Engines.createStrict(\"x\", f(g()), vm);");
        assertThat(found).extracting(Creation::args)
                .containsExactly("name, 1,\n    ReplayVm.of(Vms.chainVm())", "\"x\", f(g()), vm");
    }

    /** A call of {@code Engines.create} or {@code Engines.createStrict} (a mention in a comment without its parenthesis is not one). */
    private static final Pattern CALL = Pattern.compile("Engines\\.create(Strict)?\\(");

    /** Each call of {@link #CALL} in {@code source}, with its balanced argument text. */
    private static List<Creation> creations(Path file, String source) {
        List<Creation> out = new ArrayList<>();
        Matcher call = CALL.matcher(source);
        while (call.find()) {
            int open = call.end() - 1;
            int depth = 0;
            int close = open;
            do {
                char ch = source.charAt(close++);
                depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            } while (depth > 0);
            out.add(new Creation(file, source.substring(open + 1, close - 1)));
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
