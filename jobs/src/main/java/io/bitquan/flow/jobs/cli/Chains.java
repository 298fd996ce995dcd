package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.wasm.Contracts;
import io.bitquan.flow.execution.chainfile.ChainFiles;
import io.bitquan.flow.model.avro.Genesis;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Picks the generator for a workload name: native workloads (utxo, utxo-chained, transfer,
 * mixed) or contract workloads (token, counter, amm). One place, so generate, demo and the
 * benchmarks accept the same names and produce the same chains.
 */
final class Chains {
    static final String WORKLOADS = "utxo, utxo-chained, transfer, mixed, token, counter or amm";

    private Chains() {}

    static GeneratedChain generator(long seed, int blocks, int txs, String workload, int accounts, int holders,
                                    int invalidEvery, String signatures) {
        return generator(seed, blocks, txs, workload, accounts, holders, invalidEvery, signatures, 0, 0);
    }

    static GeneratedChain generator(long seed, int blocks, int txs, String workload, int accounts, int holders,
                                    int invalidEvery, String signatures, int reorgEvery, int reorgDepth) {
        try {
            SignatureScheme scheme = SignatureScheme.fromId(signatures);
            if (Contracts.isContractWorkload(workload)) {
                if (invalidEvery > 0 || reorgEvery > 0) {
                    throw new IllegalArgumentException("--invalid-every and --reorg-every are not supported for contract workloads");
                }
                return Contracts.generator(seed, blocks, txs, workload, holders, scheme);
            }
            return new ChainGenerator(new GeneratorOptions(seed, blocks, txs, Workload.fromId(workload), accounts,
                    invalidEvery, scheme, reorgEvery, reorgDepth));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage().replace("utxo, utxo-chained, transfer or mixed", WORKLOADS));
        }
    }

    /** The genesis of each chain served, from chain directories or their genesis.avro files (run, reorg-restore). */
    static List<Genesis> readGeneses(List<Path> paths) {
        List<Genesis> chains = new ArrayList<>();
        for (Path p : paths) {
            try {
                chains.add(ChainFiles.readGenesis(Files.isDirectory(p) ? p : p.getParent()));
            } catch (IOException e) {
                throw new Main.UserError("cannot read genesis " + p + ": " + e.getMessage());
            }
        }
        return chains;
    }
}
