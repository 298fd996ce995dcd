package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code demo}: generates a small chain and executes it. (The Flink issue turns this into the
 * embedded Kafka + MiniCluster job; the flags and the {@code final-root=} last line stay.)
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Generate a small chain and execute it; prints one line per block and final-root=<hex> last.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--blocks", defaultValue = "20")
    int blocks;

    @Option(names = "--txs", defaultValue = "500")
    int txs;

    @Option(names = "--workload", defaultValue = "mixed")
    String workload;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--signatures", defaultValue = "ml-dsa-65")
    String signatures;

    @Override
    public Integer call() throws Exception {
        GeneratorOptions options;
        try {
            options = new GeneratorOptions(seed, blocks, txs, Workload.fromId(workload), 1000, 0, SignatureScheme.fromId(signatures));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        Path dir = Files.createTempDirectory("bitquan-demo");
        ChainGenerator generator = new ChainGenerator(options);
        try (ChainFiles.Writer writer = ChainFiles.create(dir, generator.genesis())) {
            generator.generate(writer, new ProgressBar(System.err, "generate", true));
        }
        System.out.println("chain: " + blocks + " blocks x " + txs + " txs (" + workload + ", " + signatures + ") in " + dir);
        return ExecuteCommand.execute(dir, "sequential", 0, System.out);
    }
}
