package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.bench.EngineBench;
import io.bitquan.flow.execution.bench.EngineBenchOptions;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.wasm.Contracts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code bench engine}: the engine benchmark (sequential vs two-phase vs Block-STM, measured in
 * one run) over native and contract workloads. Flags are EngineBench's (see --help).
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Engines x workloads x threads against the sequential reference; --docs DIR writes PERFORMANCE.md and speedup.svg.",
        footer = {"",
            "Flags (all optional):",
            "  --workloads utxo,utxo-chained,transfer:2,...,mixed,transfer:10000+sig,token:100,counter,amm,",
            "              token-listed:100,counter-listed,amm-listed (calls with declared access lists)",
            "  --sizes 1000,10000      transactions per block",
            "  --engines sequential,two-phase,block-stm[,block-stm-optimistic,block-stm-analyzer,block-stm-no-fallback,block-stm-strict,",
            "            block-stm-no-credits,block-stm-strict-no-credits,block-stm-no-payoff]",
            "  (block-stm also prints a work/span model: parallelism, simulated 4..32 workers from the schedule's measured parts",
            "   and a per-transaction overhead fitted to the measured 2-worker run)",
            "  --threads 1,2,4         --warmup 3 --reps 7 --seed 42",
            "  --warmup auto           warm each block until a round adds under 5 ms of JIT compilation 5 times in a row (at most 200 rounds)",
            "  --signatures ed25519|ml-dsa-65   key scheme of the generated blocks",
            "  --docs docs             write docs/PERFORMANCE.md (its engine section) and docs/speedup.svg",
            "  --quick                 a run of a few seconds"})
public final class BenchEngineCommand implements Callable<Integer> {

    @Unmatched
    List<String> flags = new ArrayList<>();

    /** Native workloads from the execution module, contract workloads (token, counter, amm) from wasm. */
    static final EngineBench.ChainSource ALL_WORKLOADS = new EngineBench.ChainSource() {
        @Override
        public GeneratedChain chain(BenchWorkload w, int size, long seed, SignatureScheme scheme) {
            if (Contracts.isContractWorkload(w.id())) {
                // Block 1 of a contract chain deploys (and, for token, distributes); the bench measures the last block.
                return Contracts.generator(seed, 2, size, w.id(), w.accounts(), scheme);
            }
            if (Contracts.isListedContractWorkload(w.id())) {
                // token-listed, amm-listed, ...: the same chain, every call with its declared access list
                return Contracts.listedGenerator(seed, 2, size, w.id(), w.accounts(), scheme);
            }
            return EngineBench.NATIVE.chain(w, size, seed, scheme);
        }

        @Override
        public TransactionVm vm() {
            return Vms.chainVm();
        }
    };

    @Override
    public Integer call() {
        EngineBenchOptions options;
        try {
            options = EngineBench.parseArgs(flags.toArray(String[]::new), "./bitquan-flow bench engine " + String.join(" ", flags));
        } catch (IllegalArgumentException e) {
            throw new Main.UserError(e.getMessage());
        }
        // EngineBench parses its own flags; their values follow the rule table of every other command.
        options.sizes().forEach(v -> NumericFlags.require("--sizes", v));
        options.threads().forEach(v -> NumericFlags.require("--threads", v));
        if (!options.autoWarmup()) {
            NumericFlags.require("--warmup", options.warmup());
        }
        NumericFlags.require("--reps", options.reps());
        EngineBench.run(options, System.out, ALL_WORKLOADS);
        return 0;
    }
}
