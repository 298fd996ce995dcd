package io.bitquan.flow.wasm.bench;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.WriteBuffer;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.InstancePolicy;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import io.bitquan.flow.wasm.workload.ContractChainGenerator;
import io.bitquan.flow.wasm.workload.ContractGeneratorOptions;
import io.bitquan.flow.wasm.workload.ContractWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Contract benchmarks, JMH-free, one run, printed as Markdown tables:
 * <ol>
 *   <li>runtime: token transfers per second on one thread, calling the runtime directly (no
 *       engine, no signatures), metering on, per execution mode and instance policy;</li>
 *   <li>engines: every engine of {@link Engines#NAMES} on {@code token} at several holder counts
 *       and on {@code amm} and {@code counter}, execution only (blocks decoded and signatures
 *       checked beforehand), speedup against sequential measured in the same run.</li>
 * </ol>
 * Usage: {@code ContractBench [threads=2] [blocks=6] [txs=5000] [runtime-only]}.
 */
public final class ContractBench {
    private ContractBench() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int blocks = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        int txs = args.length > 2 ? Integer.parseInt(args[2]) : 5000;
        System.out.println("## runtime: token transfers, one thread, metering on");
        System.out.println();
        runtimeTable(ContractBench::runtimeThroughput);
        System.out.println();
        System.out.println("call only (runtime.query: the token transfer's wasm, host calls, storage reads and buffered writes;");
        System.out.println("no fee, nonce or key binding):");
        System.out.println();
        runtimeTable(ContractBench::callOnlyThroughput);
        if (args.length > 3 && args[3].equals("runtime-only")) {
            return;
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "## engines: %d blocks x %d txs, %d threads, execution only (compiled, %s instances)%n%n",
                blocks, txs, threads, InstancePolicy.DEFAULT.name().toLowerCase(Locale.ROOT));
        System.out.println("| workload | holders | engine | txs/s | speedup vs sequential |");
        System.out.println("|---|---|---|---|---|");
        Object[][] cases = {
                {ContractWorkload.TOKEN, 10}, {ContractWorkload.TOKEN, 100}, {ContractWorkload.TOKEN, 1000},
                {ContractWorkload.TOKEN, 10000}, {ContractWorkload.AMM, 1000}, {ContractWorkload.COUNTER, 1000},
        };
        for (Object[] c : cases) {
            ContractWorkload w = (ContractWorkload) c[0];
            int holders = (Integer) c[1];
            ContractChainGenerator gen = new ContractChainGenerator(ContractGeneratorOptions.of(42, blocks, txs, w, holders));
            List<Block> chain = new ArrayList<>();
            for (ChainEvent e : gen.generateAll()) {
                chain.add(((BlockConnected) e.getEvent()).getBlock());
            }
            double sequential = 0;
            for (String engine : Engines.NAMES) {
                double perSecond = engineThroughput(gen, chain, engine, threads);
                if (engine.equals("sequential")) {
                    sequential = perSecond;
                }
                System.out.printf(Locale.ROOT, "| %s | %d | %s | %,.0f | %.2fx |%n", w.id(), holders, engine, perSecond,
                        sequential == 0 ? 0 : perSecond / sequential);
            }
        }
    }

    /** A single-thread measurement: calls/s for (mode, policy, calls). */
    @FunctionalInterface
    interface Measurement {
        double callsPerSecond(ExecutionMode mode, InstancePolicy policy, int calls);
    }

    /** One row per mode x policy ({@code -Dbench.only=COMPILED-REUSE} keeps one, {@code -Dbench.calls} sizes it). */
    static void runtimeTable(Measurement measurement) {
        System.out.println("| mode | instances | calls/s | us/call |");
        System.out.println("|---|---|---|---|");
        String only = System.getProperty("bench.only", "");
        for (ExecutionMode mode : ExecutionMode.values()) {
            for (InstancePolicy policy : InstancePolicy.values()) {
                if (!only.isEmpty() && !only.equals(mode + "-" + policy)) {
                    continue;
                }
                int calls = policy == InstancePolicy.FRESH ? 100_000
                        : mode == ExecutionMode.COMPILED ? Integer.getInteger("bench.calls", 2_000_000) : 300_000;
                double perSecond = measurement.callsPerSecond(mode, policy, calls);
                System.out.printf(Locale.ROOT, "| %s | %s | %,.0f | %.2f |%n", mode.name().toLowerCase(Locale.ROOT),
                        policy.name().toLowerCase(Locale.ROOT), perSecond, 1e6 / perSecond);
            }
        }
    }

    /** Token transfers between two holders, applied straight to the runtime; returns calls/s. */
    static double runtimeThroughput(ExecutionMode mode, InstancePolicy policy, int calls) {
        ContractChainGenerator gen = new ContractChainGenerator(ContractGeneratorOptions.of(7, 2, 2000, ContractWorkload.TOKEN, 64));
        List<ChainEvent> events = gen.generateAll();
        WasmContractRuntime runtime = new WasmContractRuntime(mode, policy);
        InMemoryStateStore store = new InMemoryStateStore();
        gen.config().loadGenesis(store);
        List<List<PreparedTx>> blocks = new ArrayList<>();
        for (ChainEvent e : events) {
            blocks.add(BlockPreparer.decode(((BlockConnected) e.getEvent()).getBlock()));
        }
        BlockContext ctx = new BlockContext(gen.config(), 1, 0);
        // Block 1 deploys and distributes; block 2's calls are replayed over the state after block 1
        // (nonces would stop matching after one pass, so every pass starts from the same state).
        WriteBuffer after1 = new WriteBuffer(store);
        for (PreparedTx tx : blocks.get(0).subList(1, blocks.get(0).size())) {
            WriteBuffer b = new WriteBuffer(after1);
            runtime.execute(tx, ctx, b);
            b.writes().forEach(w -> after1.write(w.key(), w.value()));
        }
        store.apply(after1.writes());
        List<PreparedTx> calls2 = blocks.get(1).subList(1, blocks.get(1).size());
        long done = 0;
        long gas = 0;
        long start = 0;
        int warm = calls / 4;
        while (done < calls + warm) {
            if (done == warm) {
                start = System.nanoTime();
            }
            // Each pass replays block 2 over the same state, applying each call like the sequential
            // engine does so nonces and balances progress within the pass.
            WriteBuffer pass = new WriteBuffer(store);
            for (PreparedTx tx : calls2) {
                WriteBuffer b = new WriteBuffer(pass);
                TxOutcome o = runtime.execute(tx, ctx, b);
                b.writes().forEach(w -> pass.write(w.key(), w.value()));
                if (!o.success()) {
                    throw new IllegalStateException("bench call failed: " + o.status());
                }
                gas += o.gasUsed();
                done++;
                if (done == warm) {
                    break;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (gas == 0) {
            throw new IllegalStateException();
        }
        return calls / seconds;
    }

    /** token.transfer through {@link WasmContractRuntime#query}, 2 holders over the state after block 1. */
    static double callOnlyThroughput(ExecutionMode mode, InstancePolicy policy, int calls) {
        ContractChainGenerator gen = new ContractChainGenerator(ContractGeneratorOptions.of(7, 1, 100, ContractWorkload.TOKEN, 64));
        InMemoryStateStore store = new InMemoryStateStore();
        gen.config().loadGenesis(store);
        WasmContractRuntime runtime = new WasmContractRuntime(mode, policy);
        BlockContext ctx = new BlockContext(gen.config(), 1, 0);
        List<PreparedTx> block1 = BlockPreparer.decode(((BlockConnected) gen.generateAll().get(0).getEvent()).getBlock());
        for (PreparedTx tx : block1.subList(1, block1.size())) {
            WriteBuffer b = new WriteBuffer(store);
            runtime.execute(tx, ctx, b);
            store.apply(b.writes());
        }
        byte[] token = gen.contract();
        byte[] from = gen.keys().address(2);
        byte[] args = io.bitquan.flow.wasm.contracts.ContractArgs.transfer(gen.keys().address(3), 1);
        int warm = calls / 4;
        long start = 0;
        long gas = 0;
        for (int i = 0; i < calls + warm; i++) {
            if (i == warm) {
                start = System.nanoTime();
            }
            WasmContractRuntime.Result r = runtime.query(token, "transfer", args, from, ctx, store, 100_000);
            if (!r.outcome().success()) {
                throw new IllegalStateException("bench call failed: " + r.outcome().status());
            }
            gas += r.outcome().gasUsed();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (gas == 0) {
            throw new IllegalStateException();
        }
        return calls / seconds;
    }

    /** Executes the chain twice (warm-up, then timed) and returns txs/s of the timed pass. */
    static double engineThroughput(ContractChainGenerator gen, List<Block> chain, String engineName, int threads) {
        List<List<PreparedTx>> prepared = new ArrayList<>();
        for (Block b : chain) {
            prepared.add(BlockPreparer.decode(b));
        }
        double result = 0;
        try (ExecutionEngine engine = Engines.create(engineName, threads, new ChainVm(new WasmContractRuntime()))) {
            for (int pass = 0; pass < 2; pass++) {
                InMemoryStateStore store = new InMemoryStateStore();
                gen.config().loadGenesis(store);
                long nanos = 0;
                long count = 0;
                for (int i = 0; i < chain.size(); i++) {
                    BlockContext ctx = new BlockContext(gen.config(), i + 1, chain.get(i).getHeader().getTimestamp());
                    long t0 = System.nanoTime();
                    BlockOutput out = engine.execute(ctx, prepared.get(i), store);
                    nanos += System.nanoTime() - t0;
                    if (!out.accepted()) {
                        throw new IllegalStateException(engineName + " rejected block " + (i + 1) + ": " + out.violation());
                    }
                    store.apply(out.writes());
                    count += prepared.get(i).size();
                }
                result = count / (nanos / 1e9);
            }
        }
        return result;
    }
}
