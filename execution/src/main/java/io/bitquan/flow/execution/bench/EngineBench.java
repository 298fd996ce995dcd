package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.PayoffLog;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.twophase.TwoPhaseEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.SignatureRules;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.model.state.StateWrite;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Engine benchmark: sequential vs two-phase vs Block-STM over generated blocks, measured in one
 * run so speedups compare like with like. Flink-free; the CLI {@code ./bitquan-flow bench engine}
 * is a thin wrapper that builds an {@link EngineBenchOptions} and calls {@link #run}.
 *
 * <p>Method: for each workload and block size one block is generated (ed25519, deterministic
 * seed) over the genesis state; every engine executes that same block over the same base state
 * {@code warmup} times untimed, then {@code reps} times timed, engines interleaved rep by rep (so
 * background load on a shared machine hits all of them alike); a row reports the median. Signatures
 * are verified outside the engines, as in the node, except in {@code +sig} rows, where the VM
 * callback verifies them first (heavy per-transaction work). Each parallel result is checked
 * against the sequential one before it is timed. Two more tables per block: the work/span model
 * (what more cores would give, charging {@link MachineryOverhead}) and, when 2 threads are
 * measured, the machine's own 2-thread ceiling for that block ({@link MachineCeiling}: two
 * unshared sequential copies at once).
 *
 * <p>Flags the CLI should expose (all optional; also accepted by {@link #main}):
 * <pre>
 *   --workloads utxo,utxo-chained,transfer:2,...,mixed,transfer:10000+sig   (default: the full matrix)
 *   --sizes 1000,10000            transactions per block
 *   --engines sequential,two-phase,block-stm[,block-stm-optimistic,block-stm-analyzer,block-stm-no-analyzer,block-stm-no-fallback,block-stm-strict,
 *             block-stm-no-credits,block-stm-strict-no-credits,block-stm-no-payoff]
 *                                 (the block-stm-* ablations run at 2 threads only)
 *   --threads 1,2,4
 *   --warmup 3 --reps 7 --seed 42
 *   --signatures ed25519          key scheme of the generated block (ml-dsa-65: the chain's default,
 *                                 whose 1,952-byte public keys make key binding heavier)
 *   --docs docs                   write the engine section of docs/PERFORMANCE.md (between
 *                                 engine-bench markers, other sections kept) and docs/speedup.svg
 *   --quick                       3 workloads x 1,000 txs x threads 1,2, 3 reps
 * </pre>
 */
public final class EngineBench {

    /**
     * One measured row. {@code speedup} is against sequential on the same block in the same run,
     * the ratio of the medians (the targets are stated on it); {@code perRepSpeedup} the median of
     * the per-rep ratios (each rep against the sequential rep just before it, round 18), which one
     * slowed sequential rep moves less; {@code bound} is the most a 2-thread row of this block can
     * read ({@link TwoThreadBound}: the 2-thread ceiling, raised where the machinery costs less than
     * sequential), and {@link #aboveCeiling} marks a row above it.
     */
    public record Row(BenchWorkload workload, int size, String engine, int threads, double medianMs, double tps,
                      double speedup, double abortsPerBlock, double reExecutionsPerBlock, int fallbacks,
                      double perRepSpeedup, TwoThreadBound bound) {
        /** A 2-thread parallel row reading above its block's bound (more than two threads can give it). */
        public boolean aboveCeiling() {
            return bound.exceededBy(engine, threads, speedup);
        }
    }

    /**
     * The work/span model of one measured block (when block-stm is measured), with the parts it
     * charges as measured ({@link ScheduleParts}; null for a block that runs optimistically).
     */
    public record ModelRow(BenchWorkload workload, int size, WorkSpanModel.Result model, ScheduleParts.Result parts) {}

    /**
     * Where benchmark blocks and the VM come from. {@link #NATIVE} knows the native workloads; the
     * CLI passes one that also knows the contract workloads of the {@code wasm} module.
     */
    public interface ChainSource {
        /** A one-block chain of {@code size} transactions for the workload. */
        GeneratedChain chain(BenchWorkload workload, int size, long seed, SignatureScheme scheme);

        TransactionVm vm();
    }

    /** Native workloads with the native VM. */
    public static final ChainSource NATIVE = new ChainSource() {
        @Override
        public GeneratedChain chain(BenchWorkload w, int size, long seed, SignatureScheme scheme) {
            if (w.nativeWorkload() == null) {
                throw new IllegalArgumentException("unknown bench workload '" + w.id() + "'");
            }
            return new ChainGenerator(new GeneratorOptions(seed, 1, size, w.nativeWorkload(), w.accounts(), 0, scheme));
        }

        @Override
        public TransactionVm vm() {
            return new ChainVm();
        }
    };

    /** Print each Block-STM row's {@code RunCounters} to stderr ({@code -Dbitquan.bench.counters}). */
    private static final boolean COUNTERS = Boolean.getBoolean("bitquan.bench.counters");

    /**
     * Measure thread CPU time (the calling thread plus the engine's workers) instead of wall
     * time ({@code -Dbitquan.bench.cpu}): what the engine's bookkeeping costs, far less moved by
     * other processes on a shared machine than wall time. Diagnostics; the documented matrix is
     * wall time.
     */
    private static final boolean CPU_TIME = Boolean.getBoolean("bitquan.bench.cpu");
    /**
     * Report megabytes allocated per block (same threads) in the "median ms" column instead of
     * time ({@code -Dbitquan.bench.alloc}): a load-independent proxy for the engine's bookkeeping.
     */
    private static final boolean ALLOCATION = Boolean.getBoolean("bitquan.bench.alloc");
    /**
     * Print every timed rep on stderr ({@code -Dbitquan.bench.reps}: {@code rep <engine's column> <name>
     * <threads> <rep> <value>}, in run order), so a rep can be lined up with the payoff log's line for the
     * same block ({@code -Dbitquan.bench.payoff}) and the time outside the engine's own timing read
     * off per block. Diagnostics only.
     */
    private static final boolean REPS = Boolean.getBoolean("bitquan.bench.reps");

    private EngineBench() {}

    /** The calling thread and, for Block-STM, its pool's workers (started by the warm-up runs). */
    private static long[] engineThreads(ExecutionEngine engine) {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().getId());
        String prefix = threadNamePrefix(engine);
        if (prefix != null) {
            for (java.lang.management.ThreadInfo info : bean.getThreadInfo(bean.getAllThreadIds())) {
                if (info != null && info.getThreadName().startsWith(prefix)) {
                    ids.add(info.getThreadId());
                }
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The engine's pool thread prefix; by reflection for an other-build engine (its class comes
     * from another loader), so its pool threads are counted too (an idle pool costs no CPU, so
     * equal prefixes of two builds' pools do not mix their figures).
     */
    private static String threadNamePrefix(ExecutionEngine engine) {
        if (engine instanceof BlockStmEngine stm) {
            return stm.threadNamePrefix();
        }
        try {
            return (String) engine.getClass().getMethod("threadNamePrefix").invoke(engine);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return null;
        }
    }

    private static long allocatedBytes(long[] threadIds) {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long a : bean.getThreadAllocatedBytes(threadIds)) {
            total += Math.max(0, a);
        }
        return total;
    }

    private static long cpuNanos(long[] threadIds) {
        java.lang.management.ThreadMXBean bean = java.lang.management.ManagementFactory.getThreadMXBean();
        long total = 0;
        for (long id : threadIds) {
            total += Math.max(0, bean.getThreadCpuTime(id));
        }
        return total;
    }

    public static void main(String[] args) {
        EngineBenchOptions opts = parseArgs(args, "java " + EngineBench.class.getName() + " " + String.join(" ", args));
        run(opts, System.out);
    }

    /** Parses the flags listed in the class Javadoc. */
    public static EngineBenchOptions parseArgs(String[] args, String command) {
        EngineBenchOptions o = EngineBenchOptions.full(null, command);
        List<String> workloads = o.workloads();
        List<Integer> sizes = o.sizes();
        List<String> engines = o.engines();
        List<Integer> threads = o.threads();
        int warmup = o.warmup();
        int reps = o.reps();
        long seed = o.seed();
        String signatures = o.signatures();
        Path docs = null;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (flag.equals("--quick")) {
                EngineBenchOptions q = EngineBenchOptions.quick();
                workloads = q.workloads();
                sizes = q.sizes();
                threads = q.threads();
                warmup = q.warmup();
                reps = q.reps();
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + flag);
            }
            String v = args[++i];
            switch (flag) {
                case "--workloads" -> workloads = List.of(v.split(","));
                case "--sizes" -> sizes = ints(v);
                case "--engines" -> engines = List.of(v.split(","));
                case "--threads" -> threads = ints(v);
                case "--warmup" -> warmup = v.equals("auto") ? EngineBenchOptions.AUTO_WARMUP : nonNegative("--warmup", Integer.parseInt(v));
                case "--reps" -> reps = Integer.parseInt(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--signatures" -> signatures = SignatureScheme.fromId(v).id();
                case "--docs" -> docs = Path.of(v);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        return new EngineBenchOptions(workloads, sizes, engines, threads, warmup, reps, seed, signatures, docs, command);
    }

    /** A count that must not be negative (a negative {@code --warmup} must not read as {@code auto}). */
    private static int nonNegative(String flag, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(flag + " must be at least 0 or auto (got " + value + ")");
        }
        return value;
    }

    private static List<Integer> ints(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
    }

    /** Runs the matrix, prints the table to {@code out}, writes the docs when asked; returns the rows. */
    public static List<Row> run(EngineBenchOptions opts, PrintStream out) {
        return run(opts, out, NATIVE);
    }

    /** As {@link #run(EngineBenchOptions, PrintStream)}, with blocks and VM from {@code source}. */
    public static List<Row> run(EngineBenchOptions opts, PrintStream out, ChainSource source) {
        List<Row> rows = new ArrayList<>();
        List<ModelRow> models = new ArrayList<>();
        List<CeilingRow> ceilings = new ArrayList<>();
        List<PhaseRow> phases = new ArrayList<>();
        List<String> warmups = new ArrayList<>();
        String loadBefore = PerformanceReport.loadAverage();
        // Measured on every launch (round 16), not only for the docs: this kernel shares CPU between
        // sessions (autogroup), so while another session is busy this JVM's two threads together get
        // about one vCPU and every 2-thread row measures that share, not the engine (branch xfer16).
        double capacityBefore = PerformanceReport.parallelCapacity();
        double handOffBefore = CoreHandOff.measureNanos();
        out.println(header());
        for (String spec : opts.workloads()) {
            BenchWorkload workload = BenchWorkload.parse(spec);
            for (int size : opts.sizes()) {
                rows.addAll(measureBlock(workload, size, opts, out, source, models, ceilings, phases, warmups));
            }
        }
        rows.stream().filter(Row::aboveCeiling).forEach(r -> out.println(ceilingNote(r)));
        if (!warmups.isEmpty()) {
            out.println();
            out.println("warm-up auto (at least " + WarmUp.MIN_ROUNDS + " rounds, until " + WarmUp.QUIET_IN_A_ROW
                    + " in a row each add under " + WarmUp.QUIET_MS + " ms of JIT compilation, at most " + WarmUp.CAP + "): "
                    + String.join("; ", warmups));
        }
        if (!models.isEmpty()) {
            out.println();
            out.println(modelHeader());
            models.forEach(m -> out.println(formatModel(m)));
            out.println();
            out.println(partsHeader());
            models.stream().filter(m -> m.parts() != null).forEach(m -> out.println(formatParts(m)));
        }
        if (!ceilings.isEmpty()) {
            out.println();
            out.println(ceilingHeader());
            ceilings.forEach(c -> out.println(formatCeiling(c)));
        }
        if (!phases.isEmpty()) {
            out.println();
            out.println(phaseHeader());
            phases.forEach(p -> out.println(formatPhases(p)));
        }
        double capacityAfter = PerformanceReport.parallelCapacity();
        double handOffAfter = CoreHandOff.measureNanos();
        out.println();
        out.println(cpuShareLine(capacityBefore, capacityAfter));
        out.println(CoreHandOff.line(handOffBefore, handOffAfter));
        if (opts.docsDir() != null) {
            writeDocs(opts, rows, models, ceilings, phases, loadBefore, PerformanceReport.loadAverage(), capacityBefore, capacityAfter);
        }
        return rows;
    }

    /** A workload's machine ceiling at two threads ({@link MachineCeiling}). */
    record CeilingRow(BenchWorkload workload, int size, MachineCeiling.Result result) {}

    /** A scheduled block's phases at two workers ({@link SchedulePhases}). */
    record PhaseRow(BenchWorkload workload, int size, SchedulePhases.Result result) {}

    private static List<Row> measureBlock(BenchWorkload workload, int size, EngineBenchOptions opts, PrintStream out,
                                          ChainSource source, List<ModelRow> models, List<CeilingRow> ceilings,
                                          List<PhaseRow> phases, List<String> warmups) {
        BenchBlock bench = BenchBlock.of(workload, size, opts.seed(), SignatureScheme.fromId(opts.signatures()), source);
        ChainConfig config = bench.config();
        List<ChainEvent> events = bench.events();
        InMemoryStateStore base = bench.base();
        Block block = bench.block();
        List<PreparedTx> txs = bench.txs();
        BlockContext context = bench.context();
        TransactionVm vm = bench.vm();

        // All engines of this block are measured interleaved, rep by rep, so that load from other
        // processes on a shared machine hits them alike and the speedup ratios stay meaningful.
        List<String> names = new ArrayList<>();
        List<Integer> threadCounts = new ArrayList<>();
        List<ExecutionEngine> engines = new ArrayList<>();
        names.add("sequential");
        threadCounts.add(1);
        engines.add(new SequentialEngine(vm));
        for (String engineName : opts.engines()) {
            if (!engineName.equals("sequential")) {
                for (int threads : threadsFor(engineName, opts.threads())) {
                    names.add(engineName);
                    threadCounts.add(threads);
                    engines.add(create(engineName, threads, vm));
                }
            }
        }
        try {
            BlockOutput reference = engines.get(0).execute(context, txs, base);
            if (!reference.accepted()) {
                throw new IllegalStateException("generated block rejected: " + reference.violation());
            }
            for (int e = 1; e < engines.size(); e++) {
                requireSame(engines.get(e).execute(context, txs, base), reference, names.get(e), workload, size);
                PayoffLog.flush(payoffLabel(workload.label(), engines.get(e), "check"));
            }
            Measurement[] m = measure(workload.label(), engines, context, txs, base, opts,
                    run -> requireSame(run.output(), reference, names.get(run.engine()), workload, size));
            if (opts.autoWarmup()) {
                warmups.add(workload.label() + " x " + size + ": " + m[0].warmup());
            }
            MachineCeiling.Result ceiling = null;
            // the work/span model is calibrated with the ceiling too (round 13), so it is measured
            // whenever the model is made, not only when 2 threads are
            if (opts.threads().contains(2) || names.contains("block-stm")) {
                ceiling = MachineCeiling.measure(new MachineCeiling.Copy(context, txs, base),
                        () -> new MachineCeiling.Copy(context, BlockPreparer.decode(block), BenchBlock.stateBefore(config, events, source, workload)),
                        vm, opts.warmupRounds(), Math.min(opts.reps(), 11));
                ceilings.add(new CeilingRow(workload, size, ceiling));
            }
            if (opts.threads().contains(2)) {
                if (names.contains("block-stm")) {
                    SchedulePhases.Result p = SchedulePhases.measure(context, txs, base, vm, opts.warmupRounds(), Math.min(opts.reps(), 11));
                    if (p != null) {
                        phases.add(new PhaseRow(workload, size, p));
                    }
                }
            }
            // measured before the rows are printed: their (above ceiling) flag reads it (TwoThreadBound)
            double machineryAtOne = names.contains("block-stm")
                    ? MachineryOverhead.measure(context, txs, base, vm, Math.min(opts.reps(), 7)) : Double.NaN;
            TwoThreadBound bound = ceiling == null ? TwoThreadBound.NONE : new TwoThreadBound(ceiling.ceiling(), machineryAtOne);
            List<Row> rows = new ArrayList<>();
            for (int e = 0; e < engines.size(); e++) {
                Row row = row(workload, size, names.get(e), threadCounts.get(e), m[e], m[0].medianMs, txs.size(), bound);
                rows.add(row);
                out.println(format(row));
                if (COUNTERS && engines.get(e) instanceof BlockStmEngine stm) {
                    // Diagnostics only (-Dbitquan.bench.counters): the last timed rep's counters.
                    System.err.println("counters " + workload.label() + " " + names.get(e) + " " + threadCounts.get(e)
                            + ": " + stm.lastRunCounters());
                }
            }
            if (names.contains("block-stm")) {
                // The 2-worker run with the fallback off as this run's row measured it (the figure a
                // reader sees in the table), else measured here against sequential, interleaved.
                double two = rows.stream().filter(r -> r.engine().equals(NO_FALLBACK) && r.threads() == 2)
                        .mapToDouble(Row::speedup).findFirst()
                        .orElseGet(() -> MachineryOverhead.twoWorkers(context, txs, base, vm, Math.min(opts.reps(), 11)));
                WorkSpanModel.Calibration calibration = new WorkSpanModel.Calibration(machineryAtOne, two,
                        ceiling == null ? Double.NaN : ceiling.ceiling());
                ScheduleParts.Result parts = ScheduleParts.measure(context, txs, base, vm, opts.warmupRounds(), Math.min(opts.reps(), 11));
                models.add(new ModelRow(workload, size, WorkSpanModel.measure(context, txs, base, vm,
                        Math.min(opts.reps(), 7), calibration, WorkSpanModel.Parts.of(parts, txs.size())), parts));
            }
            return rows;
        } finally {
            engines.forEach(ExecutionEngine::close);
        }
    }

    /** The 2-thread engine the work/span model is fitted to. */
    static final String NO_FALLBACK = "block-stm-no-fallback";

    /** Ablation variants ({@code block-stm-*}) run at 2 threads only (or the first count given), to keep runs short. */
    static List<Integer> threadsFor(String engine, List<Integer> threads) {
        if (!engine.startsWith("block-stm-")) {
            return threads;
        }
        return List.of(threads.contains(2) ? 2 : threads.get(0));
    }

    /** The VM with signature verification as part of each transaction's work. */
    static TransactionVm verifyingVm(TransactionVm inner) {
        return (tx, block, state) -> {
            RuleViolation bad = SignatureRules.check(tx, block.config().chainId(), block.config().scheme());
            if (bad != null) {
                throw bad;
            }
            return inner.execute(tx, block, state);
        };
    }

    /** A bench engine by its `--engines` name; also used by the warm differential gates. */
    public static ExecutionEngine create(String name, int threads, TransactionVm vm) {
        int at = name.indexOf('@');
        if (at > 0) {
            return OtherBuildEngine.create(name.substring(0, at), Path.of(name.substring(at + 1)), threads, vm);
        }
        return switch (name) {
            case "two-phase" -> new TwoPhaseEngine(vm, threads, true);
            case "block-stm" -> new BlockStmEngine(vm, BlockStmOptions.defaults(threads));
            case "block-stm-optimistic" -> new BlockStmEngine(vm, BlockStmOptions.defaults(threads).withPredictedSchedule(false));
            case "block-stm-no-analyzer" -> new BlockStmEngine(vm, BlockStmOptions.defaults(threads).withAnalyzer(false));
            case "block-stm-analyzer" -> new BlockStmEngine(vm, BlockStmOptions.defaults(threads).withAnalyzer(true));
            case "block-stm-no-fallback" -> new BlockStmEngine(vm, BlockStmOptions.defaults(threads).withContentionFallback(false));
            case "block-stm-no-payoff" -> new BlockStmEngine(vm, BlockStmOptions.defaults(threads).withPayoffCheck(false));
            case "block-stm-strict" -> new BlockStmEngine(vm, BlockStmOptions.strict(threads, false));
            case "block-stm-no-credits" -> new BlockStmEngine(vm, BlockStmOptions.defaults(threads).withCommutativeCredits(false));
            case "block-stm-strict-no-credits" -> new BlockStmEngine(vm, BlockStmOptions.strict(threads, false).withCommutativeCredits(false));
            default -> throw new IllegalArgumentException("unknown bench engine " + name);
        };
    }

    private static void requireSame(BlockOutput actual, BlockOutput expected, String engine, BenchWorkload w, int size) {
        boolean same = actual.accepted() == expected.accepted() && actual.fees() == expected.fees()
                && actual.writes().size() == expected.writes().size() && actual.outcomes().size() == expected.outcomes().size();
        for (int i = 0; same && i < actual.writes().size(); i++) {
            StateWrite a = actual.writes().get(i);
            StateWrite e = expected.writes().get(i);
            same = a.key().equals(e.key()) && (a.value() == null ? e.value() == null
                    : e.value() != null && Arrays.equals(a.value().encode(), e.value().encode()));
        }
        for (int i = 0; same && i < actual.outcomes().size(); i++) {
            same = sameOutcome(actual.outcomes().get(i), expected.outcomes().get(i));
        }
        if (!same) {
            throw new IllegalStateException(engine + " differs from sequential on " + w.label() + " x " + size);
        }
    }

    /** A receipt's identity: fee, gas, success, status and events, byte for byte. */
    private static boolean sameOutcome(TxOutcome a, TxOutcome e) {
        if (a.fee() != e.fee() || a.gasUsed() != e.gasUsed() || a.success() != e.success()
                || !Objects.equals(a.status(), e.status()) || a.events().size() != e.events().size()) {
            return false;
        }
        for (int j = 0; j < a.events().size(); j++) {
            if (!Arrays.equals(a.events().get(j), e.events().get(j))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The launch's CPU share, said beside its figures: 2 x a CPU loop's one-thread time over its
     * two-thread time, before and after (2.00 = both vCPUs were this JVM's; ~1.0 = it had about one,
     * e.g. another session busy, and the 2-thread rows then measure that share).
     */
    static String cpuShareLine(double before, double after) {
        String verdict = Math.min(before, after) >= 1.8 ? "both vCPUs were this JVM's"
                : "below 1.80: this JVM did not have both vCPUs (another session busy?); its 2-thread rows measure the share it got";
        return String.format(Locale.ROOT, "cpu share (2 x one-thread / two-thread time of a CPU loop, 2.00 = both vCPUs free): before %.2f, after %.2f: %s",
                before, after, verdict);
    }

    /** How the payoff log names a run: {@code <workload> <engine>/<threads> <phase>}, no spaces inside a field. */
    private static String payoffLabel(String workload, ExecutionEngine engine, String phase) {
        int threads = engine instanceof BlockStmEngine stm ? stm.options().threads() : 1;
        return workload.replace(" ", "") + " " + engine.name() + "/" + threads + " " + phase;
    }

    /** One engine's figures over the reps; {@code warmup} says how the warm-up went (the same for every engine of the block). */
    private record Measurement(double medianMs, double perRepSpeedup, double abortsPerBlock, double reExecutionsPerBlock,
                               int fallbacks, WarmUp.Rounds warmup) {}

    /** One engine's output of one warm-up or measured execution, handed to the check outside the timing. */
    private record Executed(int engine, BlockOutput output) {}

    /**
     * Every execution, warm-up and measured rep alike, is checked against the sequential
     * reference by {@code check} after its clock stops (round 15): a divergence that appears only
     * once the JIT has compiled a path (round 14's AccountKeys diverged under C2 with the Parallel
     * and Serial collectors, after the one pre-measurement check had passed) fails the run
     * instead of being timed as a fast block.
     */
    private static Measurement[] measure(String workload, List<ExecutionEngine> engines, BlockContext context, List<PreparedTx> txs,
                                         InMemoryStateStore base, EngineBenchOptions opts,
                                         Consumer<Executed> check) {
        System.gc();
        int[] round = {0};
        Runnable warmupRound = () -> {
            for (int e = 0; e < engines.size(); e++) {
                BlockOutput out = engines.get(e).execute(context, txs, base);
                PayoffLog.flush(payoffLabel(workload, engines.get(e), "warmup-" + round[0]));
                check.accept(new Executed(e, out));
            }
            round[0]++;
        };
        WarmUp.Rounds warmup = opts.autoWarmup() ? WarmUp.untilQuiet(warmupRound, WarmUp.jitMillis(), WarmUp.QUIET_MS, WarmUp.CAP)
                : WarmUp.fixed(warmupRound, opts.warmup());
        int k = engines.size();
        double[][] ms = new double[k][opts.reps()];
        long[] aborts = new long[k];
        long[] reExecutions = new long[k];
        int[] fallbacks = new int[k];
        long[][] threadIds = new long[k][];
        for (int e = 0; e < k; e++) {
            threadIds[e] = CPU_TIME || ALLOCATION ? engineThreads(engines.get(e)) : null;
        }
        for (int i = 0; i < opts.reps(); i++) {
            for (int e = 0; e < k; e++) {
                long t0 = ALLOCATION ? allocatedBytes(threadIds[e]) : CPU_TIME ? cpuNanos(threadIds[e]) : System.nanoTime();
                BlockOutput out = engines.get(e).execute(context, txs, base);
                long t1 = ALLOCATION ? allocatedBytes(threadIds[e]) : CPU_TIME ? cpuNanos(threadIds[e]) : System.nanoTime();
                ms[e][i] = (t1 - t0) / 1e6;
                PayoffLog.flush(payoffLabel(workload, engines.get(e), "rep-" + i)); // printed outside the timing
                check.accept(new Executed(e, out));
                if (REPS) {
                    System.err.printf(Locale.ROOT, "rep %d %s %d %d %.3f%n", e, engines.get(e).name(),
                            engines.get(e) instanceof BlockStmEngine stm ? stm.options().threads() : 1, i, ms[e][i]);
                }
                aborts[e] += out.stats().aborts();
                reExecutions[e] += out.stats().reExecutions(txs.size());
                fallbacks[e] += out.stats().fallbacks();
            }
        }
        Measurement[] result = new Measurement[k];
        for (int e = 0; e < k; e++) {
            result[e] = new Measurement(median(ms[e]), medianOfRatios(ms[0], ms[e]), (double) aborts[e] / opts.reps(),
                    (double) reExecutions[e] / opts.reps(), fallbacks[e], warmup);
        }
        return result;
    }

    /** The median of {@code values} (not modified). */
    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * The median over reps of sequential rep i / engine rep i (the engine's rep i runs right after
     * the sequential rep i in the interleaved loop): a ratio per pair of neighbouring runs, so a
     * sequential rep slowed by another process moves one ratio, not the median of every row.
     */
    static double medianOfRatios(double[] sequential, double[] engine) {
        double[] ratios = new double[engine.length];
        for (int i = 0; i < engine.length; i++) {
            ratios[i] = sequential[i] / engine[i];
        }
        return median(ratios);
    }

    private static Row row(BenchWorkload w, int size, String engine, int threads, Measurement m, double sequentialMs, int txCount,
                           TwoThreadBound bound) {
        double speedup = sequentialMs / m.medianMs;
        return new Row(w, size, engine, threads, m.medianMs, txCount / (m.medianMs / 1000.0), speedup,
                m.abortsPerBlock, m.reExecutionsPerBlock, m.fallbacks, m.perRepSpeedup, bound);
    }

    static String header() {
        return "| workload | txs/block | engine | threads | median ms | tps | speedup | per-rep speedup | aborts/block | re-exec/block | fallbacks |\n"
                + "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    static String format(Row r) {
        return String.format(Locale.ROOT, "| %s | %d | %s | %d | %.2f | %,.0f | %.2fx%s | %.2fx | %.1f | %.1f | %d |",
                r.workload().label(), r.size(), r.engine(), r.threads(), r.medianMs(), r.tps(), r.speedup(),
                r.aboveCeiling() ? " (above ceiling)" : "", r.perRepSpeedup(), r.abortsPerBlock(), r.reExecutionsPerBlock(), r.fallbacks());
    }

    /**
     * The note under the table for a row flagged {@link Row#aboveCeiling}: what it read and the bound
     * it passed, naming no cause (round 18 saw slowed sequential reps do it, and utxo's cheaper
     * predicted path beat the plain ceiling with none slowed: {@link TwoThreadBound}).
     */
    static String ceilingNote(Row r) {
        return String.format(Locale.ROOT, "note: %s x %d %s/%d reads %.2fx, above the 2-thread bound %s: "
                        + "read the per-rep speedup (%.2fx) and the ceiling table",
                r.workload().label(), r.size(), r.engine(), r.threads(), r.speedup(), r.bound().describe(), r.perRepSpeedup());
    }

    static String phaseHeader() {
        return "| workload | txs/block | sequential ms | predict ms | predict alone ms (1 thread) | link alone ms (1 thread) | link + run ms | collect ms | scheduled total ms | / sequential | one job ms (predict + link + run) |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
    }

    static String formatPhases(PhaseRow p) {
        SchedulePhases.Result r = p.result();
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2fx | %.2f |", p.workload().label(), p.size(),
                r.sequentialMs(), r.predictMs(), r.predictAloneMs(), r.linkAloneMs(), r.linkAndRunMs(), r.collectMs(), r.scheduledMs(),
                r.sequentialMs() / r.scheduledMs(), r.oneJobMs());
    }

    static String ceilingHeader() {
        return "| workload | txs/block | sequential alone ms | on a second thread alone ms | both at once ms (first / second) | 2-thread ceiling |\n"
                + "|---|---:|---:|---:|---:|---:|";
    }

    static String formatCeiling(CeilingRow c) {
        MachineCeiling.Result r = c.result();
        return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f / %.2f | %.2fx |", c.workload().label(), c.size(),
                r.aloneMs(), r.otherAloneMs(), r.firstTogetherMs(), r.secondTogetherMs(), r.ceiling());
    }

    static String modelHeader() {
        StringBuilder h = new StringBuilder("| workload | txs/block | work ms | span ms | parallelism | machinery at 1 worker "
                + "| 2-thread ceiling | e | measured 2 (fallback off) | parts at 2 / 8 workers | fitted overhead per tx | or serial part |");
        StringBuilder sep = new StringBuilder("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int p : WorkSpanModel.WORKERS) {
            h.append(" sim ").append(p).append(" |");
            sep.append("---:|");
        }
        h.append(" sim 8, parts in series | sim 8, serial part | sim 8, fit only (per tx / serial) |");
        sep.append("---:|---:|---:|");
        return h + "\n" + sep;
    }

    static String formatModel(ModelRow r) {
        WorkSpanModel.Result m = r.model();
        WorkSpanModel.Calibration c = m.calibration();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "| %s | %d | %.2f | %.2f | %.1f | %+.0f %% | %s | %.2f | %s | %s | %+.0f %% of a tx | %.0f %% of the work |",
                r.workload().label(), r.size(), m.workMs(), m.spanMs(), m.parallelism(), 100 * c.machineryAtOne(),
                ratio(c.ceilingTwo()), m.efficiency(), ratio(c.measuredTwo()),
                m.parts().byWorkers().isEmpty() ? "none (optimistic)"
                        : String.format(Locale.ROOT, "%.1f %% / %.1f %%", 100 * m.parts().inSeries(2), 100 * m.parts().inSeries(8)),
                100 * m.overheadShare(), 100 * m.serialShare()));
        for (int p : WorkSpanModel.WORKERS) {
            line.append(String.format(Locale.ROOT, " %.2fx |", m.simulated().get(p)));
        }
        line.append(String.format(Locale.ROOT, " %.2fx | %.2fx | %.2fx / %.2fx |", m.inSeries().get(8), m.simulatedSerial().get(8),
                m.fitOnly().get(8), m.fitOnlySerial().get(8)));
        return line.toString();
    }

    static String partsHeader() {
        StringBuilder h = new StringBuilder("| workload | txs/block | sequential ms | predict ms (spread) | collect ms (spread) |");
        StringBuilder sep = new StringBuilder("|---|---:|---:|---:|---:|");
        for (int l : ScheduleParts.LINKERS) {
            h.append(" ").append(l).append(l == 1 ? " linker" : " linkers").append(": alloc + link span (sum) + sort ms").append(l == 1 ? "" : "; count (spread)").append(" |");
            sep.append("---:|");
        }
        return h + "\n" + sep;
    }

    /** The measured parts of one predicted block (the model's {@link WorkSpanModel.Parts} before they are charged). */
    static String formatParts(ModelRow r) {
        ScheduleParts.Result p = r.parts();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f |", r.workload().label(),
                r.size(), p.sequentialMs(), p.predictMs(), p.collectMs()));
        for (int l : ScheduleParts.LINKERS) {
            ScheduleParts.Link k = p.links().get(l);
            line.append(String.format(Locale.ROOT, " %.2f + %.2f (%.2f) + %.2f%s |", k.allocMs(), k.spanMs(), k.sumMs(), k.sortMs(),
                    l == 1 ? "" : String.format(Locale.ROOT, "; count %.2f", k.countMs())));
        }
        return line.toString();
    }

    private static String ratio(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
    }

    private static void writeDocs(EngineBenchOptions opts, List<Row> rows, List<ModelRow> models, List<CeilingRow> ceilings,
                                  List<PhaseRow> phases, String loadBefore, String loadAfter,
                                  double capacityBefore, double capacityAfter) {
        try {
            Files.createDirectories(opts.docsDir());
            Path doc = opts.docsDir().resolve("PERFORMANCE.md");
            String existing = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : null;
            String section = PerformanceReport.markdown(opts, rows, models, ceilings, phases, loadBefore, loadAfter, capacityBefore, capacityAfter);
            Files.writeString(doc, PerformanceReport.merge(existing, section), StandardCharsets.UTF_8);
            Files.writeString(opts.docsDir().resolve("speedup.svg"), PerformanceReport.svg(rows, models), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
