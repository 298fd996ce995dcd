package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code execute}: verifies signatures and executes every block of a chain directory as a node
 * does. Output contract: one line per block an event decided ({@code block <h> accepted root=<hex>},
 * {@code block <h> rejected rule=<id>}, {@code block <h> disconnected root=<hex>},
 * {@code block <h> disconnect-rejected rule=<id>}, {@code block <h> stored id=<hex> (<why>)},
 * {@code block <h> duplicate id=<hex>}), then {@code final-root=<hex>} as the last line.
 */
@Command(name = "execute", mixinStandardHelpOptions = true,
        description = "Verify and execute a chain directory; prints one line per block and final-root=<hex> last.")
public final class ExecuteCommand implements Callable<Integer> {

    @Option(names = "--chain", required = true, description = "chain directory written by 'generate'")
    Path chain;

    @Option(names = "--engine", defaultValue = "sequential", description = "sequential, block-stm or two-phase (default ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--threads", defaultValue = "0", description = "worker threads (default: available processors)")
    int threads;

    @Override
    public Integer call() {
        return execute(chain, engine, threads, System.out);
    }

    static int execute(Path chain, String engineName, int threads, PrintStream out) {
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Genesis genesis;
        try {
            genesis = ChainFiles.readGenesis(chain);
        } catch (IOException e) {
            throw new Main.UserError(e.getMessage());
        }
        ChainConfig config;
        try {
            config = new ChainConfig(genesis);
        } catch (IllegalArgumentException e) {
            throw new Main.UserError("bad genesis in " + chain + ": " + e.getMessage());
        }
        ExecutionEngine engine;
        try {
            engine = Engines.create(engineName, workers, Vms.chainVm());
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        ForkJoinPool verifiers = new ForkJoinPool(workers);
        try (engine; ChainFiles.EventReader events = ChainFiles.readEvents(chain)) {
            ChainRunner runner = new ChainRunner(config, new InMemoryStateStore(), engine, new BlockPreparer(verifiers));
            while (events.hasNext()) {
                for (BlockReport report : runner.processAll(events.next())) {
                    out.println(report.line());
                }
            }
            out.println("final-root=" + Bytes.hex(runner.stateRoot()));
            return 0;
        } catch (IOException | org.apache.avro.AvroRuntimeException e) {
            throw new Main.UserError("cannot read chain " + chain + ": " + e.getMessage());
        } finally {
            verifiers.shutdown();
        }
    }
}
