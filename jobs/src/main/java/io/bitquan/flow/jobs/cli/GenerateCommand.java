package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.execution.generator.GeneratedChain;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code generate}: writes a deterministic chain directory (genesis.avro + events.avro). */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate a deterministic chain: the same flags always give byte-identical files.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "chain directory to write")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--blocks", defaultValue = "10", description = "blocks (default ${DEFAULT-VALUE})")
    int blocks;

    @Option(names = "--txs", defaultValue = "1000", description = "transactions per block besides the coinbase (default ${DEFAULT-VALUE})")
    int txs;

    @Option(names = "--workload", defaultValue = "mixed", description = "utxo, utxo-chained, transfer, mixed, token, counter or amm (default ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--accounts", defaultValue = "1000", description = "accounts for transfer/mixed (default ${DEFAULT-VALUE})")
    int accounts;

    @Option(names = "--holders", defaultValue = "100", description = "token holders / distinct callers for contract workloads (default ${DEFAULT-VALUE})")
    int holders;

    @Option(names = "--invalid-every", defaultValue = "0", description = "before every K-th block also emit an invalid variant at the same height (0 = never)")
    int invalidEvery;

    @Option(names = "--reorg-every", defaultValue = "0", description = "before every K-th block, connect a side branch and disconnect it again, as a node relays a reorg (0 = never); the canonical chain does not change")
    int reorgEvery;

    @Option(names = "--reorg-depth", defaultValue = "1", description = "blocks in each side branch (default ${DEFAULT-VALUE}); above the undo window it needs reorg-restore")
    int reorgDepth;

    @Option(names = "--signatures", defaultValue = "ml-dsa-65", description = "ml-dsa-65 or ed25519 (default ${DEFAULT-VALUE})")
    String signatures;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        GeneratedChain generator = Chains.generator(seed, blocks, txs, workload, accounts, holders, invalidEvery, signatures,
                reorgEvery, reorgEvery > 0 ? reorgDepth : 0);
        try (ChainFiles.Writer writer = ChainFiles.create(out, generator.genesis())) {
            generator.generate(writer, new ProgressBar(System.err, "generate", !quiet));
            writer.commit();
        }
        System.out.println("wrote " + blocks + " blocks x " + txs + " txs (" + workload + ", " + signatures
                + (invalidEvery > 0 ? ", " + (blocks / invalidEvery) + " invalid variants" : "")
                + (reorgEvery > 0 ? ", " + (blocks / reorgEvery) + " reorgs of depth " + reorgDepth : "") + ") to " + out);
        return 0;
    }
}
