package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.vm.ReplayVm;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.Collectors;

/**
 * The worker of {@code .ci/determinism} (docs/DETERMINISM.md): executes chain directories exactly
 * as {@code execute} does, several (engine, threads) runs in one JVM so an emulated ARM64 JVM
 * starts once per flag set, and records for every event its header id, block hash, state root and
 * receipts root. Not a CLI command: run with {@code java -cp bitquan-flow.jar}.
 *
 * <pre>
 * java -cp bitquan-flow.jar io.bitquan.flow.jobs.cli.DeterminismProbe OUT_DIR NAME=CHAIN_DIR:ENGINE:THREADS ...
 * </pre>
 * stdout: one {@code jvm ...} line (architecture, processors, collectors: proof the flags took
 * effect), then per run {@code run NAME ENGINE THREADS events=N tip=<block hash> final-root=<hex>
 * blocks-sha256=<hex> ms=<wall time> file=<name>}; that file in OUT_DIR holds the per-event lines
 * (index, the CLI's block line, header id, block hash, receipts root) and the final root.
 */
public final class DeterminismProbe {
    private DeterminismProbe() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: DeterminismProbe OUT_DIR NAME=CHAIN_DIR:ENGINE:THREADS ...");
            System.exit(Main.EXIT_USAGE);
        }
        Path out = Files.createDirectories(Path.of(args[0]));
        System.out.println("jvm arch=" + System.getProperty("os.arch") + " processors=" + Runtime.getRuntime().availableProcessors()
                + " gc=" + ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                        .collect(Collectors.joining(",")).replace(' ', '_')
                + " java=" + System.getProperty("java.vm.version"));
        for (int i = 1; i < args.length; i++) {
            String[] nameRest = args[i].split("=", 2);
            int engineAt = nameRest[1].lastIndexOf(':', nameRest[1].lastIndexOf(':') - 1);
            String[] et = nameRest[1].substring(engineAt + 1).split(":");
            run(nameRest[0], Path.of(nameRest[1].substring(0, engineAt)), et[0], Integer.parseInt(et[1]), out, i);
        }
    }

    static void run(String name, Path chain, String engineName, int threads, Path out, int index) throws IOException {
        ChainConfig config = new ChainConfig(ChainFiles.readGenesis(chain));
        List<String> lines = new ArrayList<>();
        String tip = "none";
        ForkJoinPool verifiers = new ForkJoinPool(threads);
        long start = System.nanoTime();
        try (ExecutionEngine engine = Engines.create(engineName, threads, ReplayVm.of(Vms.chainVm()));
             ChainFiles.EventReader events = ChainFiles.readEvents(chain)) {
            ChainRunner runner = new ChainRunner(config, new InMemoryStateStore(), engine, new BlockPreparer(verifiers));
            while (events.hasNext()) {
                // Every block the event decided (a connect may release stored blocks or evict some).
                for (BlockReport r : runner.processAll(events.next())) {
                    // The CLI's own line (height, outcome, state root) plus the hashes execute does not print.
                    lines.add(lines.size() + " " + r.line() + " header=" + hex(r.headerId()) + " block=" + hex(r.blockHash())
                            + " receipts=" + hex(r.receiptsRoot()));
                    if (r.accepted() && !r.disconnect()) {
                        tip = hex(r.blockHash());
                    }
                }
            }
            lines.add("final-root=" + Bytes.hex(runner.stateRoot()));
        } finally {
            verifiers.shutdown();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        String file = name + "." + engineName + "." + threads + "." + index + ".blocks";
        Files.write(out.resolve(file), text);
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        System.out.println("run " + name + " " + engineName + " " + threads + " events=" + (lines.size() - 1) + " tip=" + tip
                + " " + lines.get(lines.size() - 1) + " blocks-sha256=" + digest + " ms=" + ms + " file=" + file);
    }

    private static String hex(byte[] b) {
        return b == null ? "-" : Bytes.hex(b);
    }
}
