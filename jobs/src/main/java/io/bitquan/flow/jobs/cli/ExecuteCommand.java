package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.chain.AssumeValid;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.vm.ReplayVm;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
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
 * With {@code --ids} every block line ends with {@code id=<hex>} (the header id). With
 * {@code --assume-valid <id>} (docs/ASSUME-VALID.md) the signatures of that block and its ancestors
 * are not verified, and a line {@code assume-valid blocks=<n>} (how many blocks had their
 * signatures assumed valid) comes just before the final root.
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

    @Option(names = "--assume-valid", paramLabel = "<block id>",
            description = "skip signature checks of this block (64 hex digits, a header id) and its ancestors; everything else is checked (docs/ASSUME-VALID.md)")
    String assumeValid;

    @Option(names = "--ids", description = "end every block line with id=<hex> (the header id, what --assume-valid takes)")
    boolean ids;

    @Override
    public Integer call() {
        return execute(chain, engine, threads, assumeValid, ids, System.out, System.err);
    }

    static int execute(Path chain, String engineName, int threads, PrintStream out) {
        return execute(chain, engineName, threads, null, false, out, System.err);
    }

    static int execute(Path chain, String engineName, int threads, String assumeValidHex, boolean ids, PrintStream out,
                       PrintStream err) {
        List<byte[]> assumeValidIds = assumeValidHex == null ? List.of() : AssumeValidScan.parse(List.of(assumeValidHex));
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
            // key hashes held as in the job's executor (KeyHashCache): the same hashes, BLAKE3 run once per key
            engine = Engines.create(engineName, workers, ReplayVm.of(Vms.chainVm()));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        ForkJoinPool verifiers = new ForkJoinPool(workers);
        try (engine) {
            long started = System.nanoTime();
            long txs = 0;
            // headers first: one pass over the chain file's headers before any body is verified
            AssumeValid assumed = assumeValidIds.isEmpty() ? AssumeValid.NONE
                    : AssumeValidScan.resolve(AssumeValidScan.fromChainDir(chain), assumeValidIds, chain.toString(), err);
            BlockPreparer preparer = new BlockPreparer(verifiers, assumed);
            ChainRunner runner = new ChainRunner(config, new InMemoryStateStore(), engine, preparer);
            try (ChainFiles.EventReader events = ChainFiles.readEvents(chain)) {
                while (events.hasNext()) {
                    for (BlockReport report : runner.processAll(events.next())) {
                        txs += report.status() == BlockReport.Status.CONNECTED ? report.txCount() : 0;
                        String line = report.line();
                        out.println(ids && !line.contains(" id=") ? line + " id=" + Bytes.hex(report.headerId()) : line);
                    }
                }
            }
            if (!assumeValidIds.isEmpty()) {
                out.println("assume-valid blocks=" + preparer.assumedValidBlocks());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            // on stderr: stdout is the deterministic contract, this is the machine's speed
            err.printf("executed %d txs of accepted blocks in %.2f s (%.0f tx/s; chain file read and verified%s)%n", txs, seconds,
                    txs / seconds, assumeValidIds.isEmpty() ? "" : ", header scan included");
            out.println("final-root=" + Bytes.hex(runner.stateRoot()));
            return 0;
        } catch (IOException | org.apache.avro.AvroRuntimeException e) {
            throw new Main.UserError("cannot read chain " + chain + ": " + e.getMessage());
        } finally {
            verifiers.shutdown();
        }
    }
}
