package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.chain.AssumeValid;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.vm.ReplayVm;
import io.bitquan.flow.jobs.job.BlockResults;
import io.bitquan.flow.jobs.job.JobOptions;
import io.bitquan.flow.jobs.job.KafkaChainJob;
import io.bitquan.flow.jobs.job.bench.FeedTemplate;
import io.bitquan.flow.jobs.job.bench.FloorJob;
import io.bitquan.flow.jobs.job.bench.HostCalibrator;
import io.bitquan.flow.jobs.job.bench.HostReading;
import io.bitquan.flow.jobs.job.bench.PacedPublisher;
import io.bitquan.flow.jobs.job.bench.ReportedStages;
import io.bitquan.flow.jobs.job.bench.StageLoad;
import io.bitquan.flow.jobs.job.bench.StageReport;
import io.bitquan.flow.jobs.job.bench.ThreadCpu;
import io.bitquan.flow.kafka.embedded.Broker;
import io.bitquan.flow.kafka.embedded.BrokerProcess;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.execute.ExecutorMetrics;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench job}: end-to-end throughput Kafka -> Kafka of the Flink job for the same chain
 * with each signature scheme and engine, beside the standalone ChainRunner on the same chain.
 * The chain is published first; "seconds" is the bounded job from submission until its
 * exactly-once results are all readable (job start-up and the last checkpoint included);
 * "first->last block" is the executors' span from the first unit received to the last block
 * done (steady state: no start-up, no final commit).
 */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = "End-to-end tps of the Flink job (Kafka -> Kafka, exactly once) per signature scheme and engine.")
public final class BenchJobCommand implements Callable<Integer> {

    @Option(names = "--blocks", defaultValue = "20")
    int blocks;

    @Option(names = "--txs", defaultValue = "500")
    int txs;

    @Option(names = "--workload", defaultValue = "mixed")
    String workload;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--signatures", split = ",", defaultValue = "ml-dsa-65,ed25519")
    List<String> signatures;

    @Option(names = "--engines", split = ",", description = "default: sequential and block-stm (when available)")
    List<String> engines;

    @Option(names = "--assume-valid", description = "assume-valid replay: signatures of the generated chain's blocks (ancestors of its tip) are not verified, standalone and in the job (docs/ASSUME-VALID.md)")
    boolean assumeValid;

    @Option(names = "--warmup-blocks", defaultValue = "0",
            description = "Before each measured job, run the job once on this many first blocks (own topics, results"
                    + " discarded), so the JIT has compiled Flink's and Kafka's paths as generation did the engine's"
                    + " for the standalone run: the measured job is then a long-running job's steady state. 0 = cold job.")
    int warmupBlocks;

    @Option(names = "--standalone-last",
            description = "Run the standalone reference after the job instead of before it (same JVM, same chain): to see"
                    + " whether the order moves either side (JIT warm-up and type profiles are shared by the whole JVM).")
    boolean standaloneLast;

    @Option(names = "--pace", defaultValue = "0",
            description = "Latency mode: start the measured job first (unbounded) and publish the chain while it runs at this many"
                    + " blocks per second, then report each block's latency from its publication (broker ack) to its result being"
                    + " readable with read_committed (p50 / p90 / max). 0 = off: the chain is published before the job (throughput).")
    double pace;

    @Option(names = "--broker-process",
            description = "Run the Kafka broker in a JVM of its own (as deployed) instead of in this one: its threads and JIT"
                    + " queue are then not the job's; the job's cpu column adds the broker process's CPU, as it does in-process.")
    boolean brokerProcess;

    @Option(names = "--feed-parallelism", defaultValue = "0",
            description = "Parallelism of the feed monitor and Kafka sink (0 = the job's; 1 = the earlier single sink).")
    int feedParallelism;

    @Option(names = "--floor",
            description = "MEASUREMENT MODE: after each scheme's jobs, also run the platform floor (FloorJob): the same source,"
                    + " decode, MiniCluster configuration and exactly-once sink, emitting the last job's feed records by"
                    + " shape (same counts and sizes) without verifying or executing anything: the tps ceiling of a job"
                    + " of this shape on this machine. Its row is labelled 'platform floor'.")
    boolean floor;

    @Option(names = "--floor-producer", split = ",",
            description = "MEASUREMENT: extra Kafka producer properties (key=value,...) for the floor job's sink only, to A/B"
                    + " producer settings on the platform alone (e.g. batch.size=262144,linger.ms=20).")
    java.util.Map<String, String> floorProducer = new java.util.LinkedHashMap<>();

    @Mixin
    JobFlags flags = new JobFlags();

    /**
     * A heap that starts below its maximum (plain {@code -Xmx}) is not the heap a TaskManager has:
     * Flink starts TaskManagers with {@code -Xms} = {@code -Xmx}. Here the heap starts small and
     * the bench's {@code System.gc()} before the measured job shrinks it again, so the job grows it
     * as it runs. Round 16 measured that as spread, not as a steady cost: the warm ML-DSA job's GC
     * and VM threads took 0.6-3.7 s with {@code -Xmx6g} against 0.4-0.5 s with {@code -Xms6g -Xmx6g}
     * (~5x fewer young pauses), while job/standalone moved with other things (docs/PERFORMANCE.md,
     * round 16). Said, not refused: the result is still correct.
     */
    static Optional<String> heapNote() {
        return heapNote(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit(),
                Runtime.getRuntime().maxMemory());
    }

    /** The note for a heap of {@code initial} bytes at start and {@code max} at most (-1 or Long.MAX_VALUE: unknown). */
    static Optional<String> heapNote(long initial, long max) {
        if (initial < 0 || max == Long.MAX_VALUE || initial >= max * 9 / 10) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "heap: starts at %d MB of %d MB; a TaskManager's starts full (-Xms = -Xmx): pass -Xms%dm for a job that pays the GC a deployed one pays",
                initial >> 20, max >> 20, max >> 20));
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        engineNames = engines != null ? engines
                : Engines.NAMES.contains("block-stm") ? List.of("sequential", "block-stm") : List.of("sequential");
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf("bench job: %d blocks x %d txs (%s, seed %d), %d cores, parallelism %d, %d engine threads, %s, checkpoint %d ms%n",
                blocks, txs, workload, seed, cores, flags.parallelism, flags.threads, flags.stateBackend, flags.checkpointIntervalMs);
        heapNote().ifPresent(out::println);
        out.println("| signatures | engine | where | txs | seconds | tps | first->last block s | steady tps | root equal | end to end / standalone | cpu s | cpu us/tx |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|");
        Double headline = null; // job / standalone for block-stm with ML-DSA-65 (the last line)
        int run = 0;
        List<List<String>> loads = new ArrayList<>(); // per measured job: where its time went, printed after the table rows
        try (HostCalibrator calibrator = HostCalibrator.start();
             Broker kafka = brokerProcess ? BrokerProcess.start() : EmbeddedKafka.start()) {
            host = calibrator;
            for (String scheme : signatures) {
                GeneratedChain generator = Chains.generator(seed, blocks, txs, workload, 1000, 100, 0, scheme);
                List<ChainEvent> events = new ArrayList<>();
                generator.generate(events::add, new ProgressBar(System.err, "generate " + scheme, true));
                long chainTxs = (long) blocks * (txs + 1);
                AssumeValid assumed = AssumeValid.NONE;
                if (assumeValid) {
                    // headers first, as run does: the tip's ancestors, computed before anything is executed
                    BlockConnected tip = (BlockConnected) events.get(events.size() - 1).getEvent();
                    assumed = AssumeValidScan.resolve(AssumeValidScan.fromEvents(events),
                            List.of(BlockHashes.headerId(tip.getBlock().getHeader())), "the " + scheme + " chain", System.err);
                }
                TopicNames lastJob = null;
                Standalone lastRef = null;
                for (String engine : engineNames) {
                    int standaloneOnly = Integer.getInteger("bitquan.bench.standaloneOnly", 0);
                    if (standaloneOnly > 0) {
                        // MEASUREMENT: -Dbitquan.bench.standaloneOnly=N runs only the standalone reference, N times in
                        // this JVM (its core use and phases without a job around it; later runs show the JIT's part)
                        // -Dbitquan.bench.standaloneAhead=alternate: one block at a time, ahead, one at a time, ... (an A/B
                        // in one JVM on one chain)
                        boolean alternate = "alternate".equals(System.getProperty("bitquan.bench.standaloneAhead"));
                        for (int r = 0; r < standaloneOnly; r++) {
                            Standalone ref = standalone(generator, events, engine, assumed, cores,
                                    alternate ? r % 2 == 1 : standaloneAhead());
                            printStandalone(out, scheme, engine, chainTxs, ref);
                            loads.add(ref.report());
                        }
                        continue;
                    }
                    // standalone reference on the same machine: ChainRunner, signatures on all cores
                    Standalone ref = standaloneLast ? null : standalone(generator, events, engine, assumed, cores, standaloneAhead());
                    if (ref != null) {
                        printStandalone(out, scheme, engine, chainTxs, ref);
                        loads.add(ref.report());
                    }
                    // MEASUREMENT: -Dbitquan.bench.repeat=rest,reporter,... runs the measured job once per listed stage-table
                    // mode, in that order, in this JVM on this chain (an A/B that alternates without regenerating the chain)
                    List<String> modes = pace > 0 ? List.of(stagesMode()) : repeatModes();
                    List<TopicNames> topicSets = new ArrayList<>();
                    for (int m = 0; m < modes.size(); m++) {
                        topicSets.add(publish(kafka, pace > 0 ? List.of() : events, "bench" + (++run)));
                    }
                    List<String> warmup = List.of();
                    if (warmupBlocks > 0) {
                        List<ChainEvent> first = events.subList(0, Math.min(events.size(), warmupBlocks));
                        String warm = "warmup" + (++run);
                        JobRun warmRun = runJob(kafka, publish(kafka, first, warm), first.size(), generator, engine, assumed, warm,
                                "bench warm-up " + engine, false, null, null, null);
                        warmup = warmRun.load(); // its JIT line, printed with the measured job's
                    }
                    int eventCount = events.size();
                    if (engine.equals(engineNames.get(engineNames.size() - 1)) && !standaloneLast && !floor && pace == 0
                            && !Boolean.getBoolean("bitquan.bench.keepChain")) {
                        // Nothing after this job reads the decoded chain: release it, so the job's heap holds
                        // what a deployed job's does. Held, an ML-DSA chain of 600 x 500 filled most of the
                        // 4 GB heap and G1 took 17.3 s of the job's 137.8 s of CPU (13 %, no JFR; 1-2 % at
                        // 400-480 blocks; docs/PERFORMANCE.md, "Merged main at the end of round 7").
                        // -Dbitquan.bench.keepChain=true keeps it (the measurement of rounds up to 7).
                        events.clear();
                        System.gc(); // the release is the bench's: not in the job's CPU
                    }
                    for (int m = 0; m < modes.size(); m++) {
                        String mode = modes.get(m);
                        TopicNames topics = topicSets.get(m);
                        String label = modes.size() == 1 ? engine : engine + " [" + mode + "]";
                        host.begin(phaseName(engineNames, engine, jobPhase(m, modes.size())));
                        long cpu1 = processCpuNanos();
                        double brokerCpu1 = kafka.processCpuSeconds();
                        long t1 = System.nanoTime();
                        JobRun job = runJob(kafka, topics, eventCount, generator, engine, assumed, "bench-" + run + "-" + m,
                                "bench " + scheme + " " + label, true, pace > 0 ? events : null, null, null, mode);
                        double seconds = (System.nanoTime() - t1) / 1e9;
                        double jobCpu = (processCpuNanos() - cpu1) / 1e9;
                        host.end();
                        double brokerCpu = kafka.processCpuSeconds() - brokerCpu1;
                        if (!Double.isNaN(brokerCpu)) {
                            jobCpu += brokerCpu; // comparable with an in-process broker, whose threads are this JVM's
                            job.load().add(0, String.format("broker process CPU over the job: %.1f s (in the job's cpu column)", brokerCpu));
                        }
                        if (ref == null) {
                            ref = standalone(generator, events, engine, assumed, cores, standaloneAhead());
                            printStandalone(out, scheme, engine, chainTxs, ref);
                            loads.add(ref.report());
                        }
                        List<BlockResult> results = job.results();
                        var accumulators = job.accumulators();
                        double span = accumulators.containsKey(ExecutorMetrics.ACC_LAST_MS)
                                ? (((Number) accumulators.get(ExecutorMetrics.ACC_LAST_MS)).longValue()
                                        - ((Number) accumulators.get(ExecutorMetrics.ACC_FIRST_MS)).longValue()) / 1000.0
                                : Double.NaN; // a paced job is cancelled: no accumulators
                        String root = Bytes.hex(Bytes.of(results.get(results.size() - 1).getStateRoot()));
                        if (!root.equals(ref.root())) {
                            // say which block went another way, so a wrong root is diagnosable from the bench's output
                            results.stream().filter(r -> !r.getAccepted()).findFirst().ifPresent(r -> System.err.printf(
                                    "root differs: first rejected block in the job: height %d, %s: %s%n",
                                    r.getHeight(), r.getRejectedRule(), r.getRejectedReason()));
                        }
                        // same txs, so the tps ratio is the inverse ratio of the times
                        double ratio = ref.seconds() / seconds;
                        out.printf("| %s | %s | Flink job, Kafka -> Kafka | %d | %.2f | %.0f | %.2f | %.0f | %s | %.0f%% | %.1f | %.0f |%n", scheme,
                                label, chainTxs, seconds, chainTxs / seconds, span, chainTxs / span, root.equals(ref.root()), 100 * ratio,
                                jobCpu, 1e6 * jobCpu / chainTxs);
                        if (scheme.equals("ml-dsa-65") && engine.equals("block-stm")) {
                            headline = ratio;
                        }
                        job.load().addAll(0, warmup);
                        warmup = List.of();
                        loads.add(job.load());
                        lastJob = topics;
                        lastRef = ref;
                    }
                }
                if (floor && pace == 0 && lastJob != null) {
                    loads.add(floorRow(out, kafka, lastJob, events, generator, scheme, chainTxs, lastRef, ++run));
                }
                double verifyMicros = scheme.equals("ml-dsa-65") ? 147 : 65;
                for (List<String> load : loads) {
                    load.forEach(out::println);
                }
                loads.clear();
                // the host core's speed per phase, and whether it moved between them (HostCalibrator)
                HostReading reading = host.takeReading();
                out.println(reading.line());
                reading.warning().ifPresent(out::println);
                out.printf("limit for %s on this machine: %d cores x %.0f verifications/s = %.0f tx/s (one signature per tx)%n",
                        scheme, cores, 1e6 / verifyMicros, cores * 1e6 / verifyMicros);
            }
        }
        if (headline != null) {
            out.printf("job/standalone=%.2f%n", headline);
        }
        return 0;
    }

    /**
     * The host calibrator of the running bench (set in {@link #call}): the standalone reference and each
     * measured job are its phases; the warm-up and floor jobs are not (their samples are dropped).
     */
    private HostCalibrator host;

    /** The engines this bench runs (set in {@link #call}). */
    private List<String> engineNames = List.of();

    /** A phase's name in the host line: prefixed with the engine when the bench runs more than one. */
    static String phaseName(List<String> engineNames, String engine, String phase) {
        return engineNames.size() > 1 ? engine + " " + phase : phase;
    }

    /** The measured job's phase name: "job" alone, "first job" and "warm job" for two (the measured commands), else numbered. */
    static String jobPhase(int index, int count) {
        if (count == 1) {
            return "job";
        }
        if (count == 2) {
            return index == 0 ? "first job" : "warm job";
        }
        return "job " + (index + 1);
    }

    /** The standalone reference run: wall seconds, process CPU seconds, final state root (hex), where its time went. */
    private record Standalone(double seconds, double cpu, String root, List<String> report) {}

    /**
     * ChainRunner over the same events in this JVM: the engine, with the signatures on all cores.
     * Reports (MEASUREMENT) its core use, its chain thread's phases, its threads' CPU (/proc, sampled
     * every second so the pool's and engine's threads count until they end), GC, and what the rest of
     * the machine did meanwhile (/proc/stat: other processes' CPU, hypervisor steal), so that a
     * reference that idles says why.
     */
    private Standalone standalone(GeneratedChain generator, List<ChainEvent> events, String engine, AssumeValid assumed, int cores,
                                  boolean ahead) {
        host.begin(phaseName(engineNames, engine, "reference"));
        try {
            return standaloneRun(generator, events, engine, assumed, cores, ahead);
        } finally {
            host.end();
        }
    }

    private Standalone standaloneRun(GeneratedChain generator, List<ChainEvent> events, String engine, AssumeValid assumed,
                                     int cores, boolean ahead) {
        ForkJoinPool pool = new ForkJoinPool(cores);
        ThreadCpu threads = new ThreadCpu();
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-poller");
            t.setDaemon(true);
            return t;
        });
        threads.sample();
        poller.scheduleWithFixedDelay(threads::sample, 1000, 1000, TimeUnit.MILLISECONDS);
        long[] gc0 = gcTotals();
        long[] machine0 = MachineCpu.ticks();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        String root;
        String phases;
        String rejectedLine;
        // The reference holds key hashes as the job's executor does (KeyHashCache, round 18): the ratio compares
        // the job's data path with the engine's, so an executor-only cache must not count as the job's gain.
        try (ExecutionEngine e = Engines.create(engine, flags.threads, ReplayVm.of(Vms.chainVm()))) {
            BlockPreparer preparer = new BlockPreparer(pool, assumed);
            ChainRunner runner = new ChainRunner(new ChainConfig(generator.genesis()), new InMemoryStateStore(), e, preparer);
            // Rejections are counted and the first one named (round 15): a reference that rejects
            // a generated block ends on another root, and the report must say where and why.
            List<BlockReport> rejected = new ArrayList<>();
            if (ahead) {
                // block N+1 verified while block N executes and commits
                runner.processAhead(events, reports -> reports.stream().filter(r -> !r.accepted()).forEach(rejected::add));
            } else {
                // the default: one block at a time (-Dbitquan.bench.standaloneAhead=true: ahead)
                events.forEach(event -> {
                    BlockReport r = runner.process(event);
                    if (!r.accepted()) {
                        rejected.add(r);
                    }
                });
            }
            rejectedLine = rejected.isEmpty() ? "standalone rejected no block"
                    : String.format("standalone REJECTED %d block(s); first at height %d: %s", rejected.size(), rejected.get(0).height(),
                            rejected.get(0).violation() == null ? "no rule named" : rejected.get(0).violation().rule().id() + ": "
                                    + rejected.get(0).violation().getMessage());
            root = Bytes.hex(runner.stateRoot());
            threads.sample(); // before the engine's and the pool's threads end
            double wall = (System.nanoTime() - t0) / 1e9;
            double decode = preparer.decodeNanos() / 1e9;
            double verify = preparer.verifyNanos() / 1e9;
            double commitment = runner.commitmentNanos() / 1e9;
            phases = String.format("standalone phases (wall on the chain thread): decode (ids, hashes) %.1f s, signatures %.1f s,"
                            + " commitment %.1f s, the rest (structure checks, engine, state, roots) %.1f s of %.1f s",
                    decode, verify, commitment, wall - decode - verify - commitment, wall);
        } finally {
            pool.shutdown();
            poller.shutdown();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (processCpuNanos() - cpu0) / 1e9;
        long[] gc1 = gcTotals();
        List<String> report = new ArrayList<>();
        report.add(String.format("standalone ChainRunner (%s, pool of %d, %d engine threads, %s): %.1f s wall, %.1f s CPU = %.2f cores;"
                        + " GC %d collections, %.1f s; %s", engine, cores, flags.threads,
                ahead ? "next block prepared ahead" : "one block at a time", seconds, cpu, cpu / seconds,
                gc1[0] - gc0[0], (gc1[1] - gc0[1]) / 1e3, MachineCpu.line(machine0, MachineCpu.ticks(), cpu, seconds)));
        report.add(phases);
        report.add(rejectedLine);
        report.add("standalone CPU by thread group (/proc/self/task)");
        report.addAll(threads.table(0.015));
        return new Standalone(seconds, cpu, root, report);
    }

    /**
     * The whole machine's CPU from /proc/stat's first line (MEASUREMENT): whether the cores a
     * reference did not use were idle, taken by other processes, or stolen by the hypervisor.
     */
    private static final class MachineCpu {
        private static final double TICK = 0.01; // USER_HZ = 100 on Linux

        /** {user + nice + system + irq + softirq, idle + iowait, steal} in ticks; empty where /proc/stat is missing. */
        static long[] ticks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]);
                return new long[] {busy, Long.parseLong(f[4]) + Long.parseLong(f[5]), f.length > 8 ? Long.parseLong(f[8]) : 0};
            } catch (java.io.IOException | RuntimeException e) {
                return new long[0];
            }
        }

        static String line(long[] from, long[] to, double ownCpu, double seconds) {
            if (from.length < 3 || to.length < 3) {
                return "machine CPU: /proc/stat not readable";
            }
            double busy = (to[0] - from[0]) * TICK;
            return String.format("machine meanwhile (/proc/stat): all processes %.1f s CPU (other processes ~%.1f s), idle %.1f s,"
                            + " steal %.1f s, in %.1f s x %d cores", busy, Math.max(0, busy - ownCpu), (to[1] - from[1]) * TICK,
                    (to[2] - from[2]) * TICK, seconds, Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * Whether the standalone reference prepares the next block ahead (-Dbitquan.bench.standaloneAhead=true). Off by
     * default since the lead's idle 600-block ML-DSA launches (round 13): one block at a time ran the chain in
     * 36.1 s (219 us/tx), ahead in 52.9 s (337 us/tx); the reference is the faster way measured.
     */
    private static boolean standaloneAhead() {
        return "true".equals(System.getProperty("bitquan.bench.standaloneAhead"));
    }

    /** {collections, milliseconds} summed over this JVM's garbage collectors. */
    private static long[] gcTotals() {
        long count = 0;
        long millis = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            millis += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, millis};
    }

    private static void printStandalone(PrintStream out, String scheme, String engine, long chainTxs, Standalone ref) {
        out.printf("| %s | %s | standalone ChainRunner | %d | %.2f | %.0f | - | - | - | - | %.1f | %.0f |%n", scheme, engine,
                chainTxs, ref.seconds(), chainTxs / ref.seconds(), ref.cpu(), 1e6 * ref.cpu() / chainTxs);
    }

    /** What one bounded job returned: its block results and its accumulators. */
    private record JobRun(List<BlockResult> results, java.util.Map<String, Object> accumulators, List<String> load) {}

    /** Publishes {@code events} to the chain-events topic of fresh topics {@code name}.*, before any job runs. */
    private static TopicNames publish(Broker kafka, List<ChainEvent> events, String name) {
        TopicNames topics = TopicNames.prefixed(name + ".");
        kafka.createTopics(topics);
        try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
            events.forEach(publisher::publish);
        }
        return topics;
    }

    /**
     * The bounded job over already published {@code topics}, until all {@code events} exactly-once
     * block results are readable. With {@code measure}, also where its time went: Flink's busy /
     * back-pressured / idle share per stage (REST, polled while it runs) and this JVM's CPU per
     * thread group over the job (/proc), as report lines.
     */
    private JobRun runJob(Broker kafka, TopicNames topics, int events, GeneratedChain generator, String engine,
                          AssumeValid assumed, String transactionalIdPrefix, String jobName, boolean measure,
                          List<ChainEvent> paced, Path floorTemplate, java.util.Map<String, String> producer) throws Exception {
        return runJob(kafka, topics, events, generator, engine, assumed, transactionalIdPrefix, jobName, measure, paced, floorTemplate,
                producer, stagesMode());
    }

    /** The stage-table source of the measured jobs: -Dbitquan.bench.stages (reporter, rest, rest10s or off). */
    private String stagesMode() {
        String mode = System.getProperty("bitquan.bench.stages", "reporter");
        checkMode(mode);
        return mode;
    }

    private void checkMode(String mode) {
        if (!List.of("reporter", "rest", "rest10s", "off").contains(mode)) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "bench stage-table mode must be reporter, rest, rest10s or off, not " + mode);
        }
    }

    /** -Dbitquan.bench.repeat=m1,m2,...: one measured job per mode, in order; unset: one in {@link #stagesMode()}. */
    private List<String> repeatModes() {
        String repeat = System.getProperty("bitquan.bench.repeat");
        if (repeat == null || repeat.isBlank()) {
            return List.of(stagesMode());
        }
        List<String> modes = List.of(repeat.split(","));
        modes.forEach(this::checkMode);
        return modes;
    }

    private JobRun runJob(Broker kafka, TopicNames topics, int events, GeneratedChain generator, String engine,
                          AssumeValid assumed, String transactionalIdPrefix, String jobName, boolean measure,
                          List<ChainEvent> paced, Path floorTemplate, java.util.Map<String, String> producer,
                          String stagesMode) throws Exception {
        JobOptions options = flags.toOptions();
        options.engine = engine;
        options.assumeValid = assumed;
        options.transactionalIdPrefix = transactionalIdPrefix;
        options.feedParallelism = feedParallelism;
        // Where the stage table comes from (MEASUREMENT): "reporter" (default) hands Flink's task and
        // checkpoint metrics to the bench in-process; "rest" polls the REST API every second as up to
        // round 7 (a metric dump over RPC, JSON and their JIT inside the job's CPU: PERFORMANCE.md round 8),
        // "rest10s" the same with Flink's default metric fetcher interval (10 s) instead of 1 s;
        // "off" prints no stage table. The thread table (/proc) is sampled every second in all of them.
        if (stagesMode.equals("rest10s")) {
            options.metricFetcherInterval = null;
            stagesMode = "rest";
        }
        if (measure && stagesMode.equals("rest") && options.webUiPort == 0) {
            options.webUiPort = freePort(); // the REST API, for the per-stage busy / back-pressure report
        }
        options.inProcessMetrics = measure && stagesMode.equals("reporter");
        ChainCatalog catalog = ChainCatalog.of(List.of(generator.genesis()));
        ThreadCpu threads = new ThreadCpu();
        threads.sample();
        // this (bench main) thread's CPU by phase: the /proc table's "java" row, split (see mainThreadLine)
        long main0 = currentThreadCpuNanos();
        JobClient client = floorTemplate != null
                ? FloorJob.startLocal(kafka.bootstrapServers(), topics, catalog, options, floorTemplate, producer, jobName)
                : KafkaChainJob.startLocal(KafkaChainJob.create(kafka.bootstrapServers(), topics, catalog, options, paced == null),
                        options, jobName);
        StageReport stages = switch (stagesMode) {
            case "rest" -> new StageLoad(options.webUiPort, client.getJobID());
            case "reporter" -> new ReportedStages(client.getJobID().toHexString());
            default -> null;
        };
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-poller");
            t.setDaemon(true);
            return t;
        });
        // the thread table's samples run for the warm-up job too (its JIT line: is the warm-up long enough?)
        poller.scheduleWithFixedDelay(() -> {
            threads.sample();
            if (stages != null && measure) {
                stages.sample();
            }
        }, 1000, 1000, TimeUnit.MILLISECONDS);
        long mainSubmitted = currentThreadCpuNanos();
        PacedPublisher publisher = paced == null ? null
                : PacedPublisher.start(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS), paced, pace, client);
        List<BlockResult> results;
        List<Long> latencies = new ArrayList<>();
        try {
            results = BlockResults.await(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS),
                    events, client, Duration.ofMinutes(30), r -> {
                        if (publisher != null) {
                            // one result per event, in event order: the i-th result is the i-th event's
                            latencies.add(publisher.latencyNanos(latencies.size(), System.nanoTime()));
                        }
                    });
        } finally {
            poller.shutdown();
            poller.awaitTermination(10, TimeUnit.SECONDS);
            if (publisher != null) {
                publisher.stop();
            }
        }
        long mainRead = currentThreadCpuNanos();
        threads.sample();
        java.util.Map<String, Object> accumulators = java.util.Map.of();
        if (paced == null) {
            accumulators = client.getJobExecutionResult().get(5, TimeUnit.MINUTES).getAllAccumulatorResults();
        } else {
            client.cancel().get(1, TimeUnit.MINUTES); // unbounded: it would wait for more events
        }
        List<String> load = new ArrayList<>();
        if (publisher != null) {
            load.add(PacedPublisher.latencyLine(latencies, pace, options.checkpointInterval.toMillis()));
        }
        if (!measure) {
            load.add(jobName + ": " + threads.overheadLine());
        } else {
            if (stages != null) {
                load.add("where the job's time went (" + jobName + "): Flink stages, share of each subtask's time while it ran");
                load.addAll(stages.table());
                load.add(stages.checkpointLine());
            }
            load.add("CPU of this JVM by thread group over the job (/proc/self/task; broker and JIT included)");
            // -Dbitquan.bench.threadShare=0 lists every thread group (a profile's decomposition needs "other" opened up)
            load.addAll(threads.table(Double.parseDouble(System.getProperty("bitquan.bench.threadShare", "0.015"))));
            load.add(threads.overheadLine());
            load.add(mainThreadLine(mainSubmitted - main0, mainRead - mainSubmitted, currentThreadCpuNanos() - mainRead, events));
        }
        io.bitquan.flow.jobs.job.bench.InProcessMetrics.release(client.getJobID().toHexString());
        return new JobRun(results, accumulators, load);
    }

    /**
     * The platform floor beside the job (MEASUREMENT MODE, {@link FloorJob}): the last job's feeds
     * taken as the template, the same events published to fresh topics, an optional warm-up floor
     * job, then the measured floor job with the same columns as the job's row. Checks that the
     * floor wrote exactly the job's feed shape (records per topic and sizes, per event) and says so.
     */
    private List<String> floorRow(PrintStream out, Broker kafka, TopicNames jobTopics, List<ChainEvent> events,
                                  GeneratedChain generator, String scheme, long chainTxs, Standalone ref, int run)
            throws Exception {
        FeedTemplate template = FeedTemplate.read(kafka.bootstrapServers(), jobTopics);
        Path file = Files.createTempFile("bitquan-floor-template", ".bin");
        // the short floor run: the fixed cost of any bounded job here (submission, deployment, final commit)
        int shortBlocks = Math.min(events.size() - 1, Math.max(warmupBlocks, 10));
        try {
            template.write(file);
            if (warmupBlocks > 0) {
                floorRun(kafka, events.subList(0, Math.min(events.size(), warmupBlocks)), generator, file,
                        "floor-warmup" + run, "bench floor warm-up", false);
            }
            FloorRun full = floorRun(kafka, events, generator, file, "floor" + run, "bench platform floor " + scheme, true);
            out.printf("| %s | - | %s | %d | %.2f | %.0f | %.2f | %.0f | - | %.0f%% | %.1f | %.0f |%n", scheme, FLOOR_LABEL,
                    chainTxs, full.seconds, chainTxs / full.seconds, full.span, chainTxs / full.span,
                    100 * ref.seconds() / full.seconds, full.cpu, 1e6 * full.cpu / chainTxs);
            FeedTemplate.Shape written = FeedTemplate.shape(kafka.bootstrapServers(), full.topics);
            FeedTemplate.Shape jobShape = FeedTemplate.shape(kafka.bootstrapServers(), jobTopics);
            List<String> load = full.job.load();
            // the template's own shape must be the job's topics' (grouping right), and the floor's the same
            load.add(0, String.format("platform floor (%s): feeds identical in shape to the job's: %s (%d records, %d bytes)",
                    scheme, written.sameAs(jobShape) && template.shape().sameAs(jobShape), written.records(), written.bytes()));
            if (shortBlocks > 0) {
                // marginal cost per transaction: the full floor minus a short one on the same warm JVM
                FloorRun small = floorRun(kafka, events.subList(0, shortBlocks), generator, file, "floor-short" + run,
                        "bench floor short", false);
                long shortTxs = chainTxs * shortBlocks / events.size();
                double ds = full.seconds - small.seconds;
                double dcpu = full.cpu - small.cpu;
                long dtxs = chainTxs - shortTxs;
                load.add(1, String.format("platform floor (%s) marginal: the %d-event floor run again right after: %.2f s, cpu %.1f s"
                                + " (fixed cost of a bounded job here); full minus short: %.0f tps, %.0f cpu us/tx"
                                + " -> CPU-bound ceiling on %d cores %.0f tps",
                        scheme, shortBlocks, small.seconds, small.cpu, dtxs / ds, 1e6 * dcpu / dtxs,
                        Runtime.getRuntime().availableProcessors(),
                        Runtime.getRuntime().availableProcessors() * dtxs / dcpu));
            }
            if (!floorProducer.isEmpty()) {
                // same-run A/B of producer settings on the platform alone: the full floor again with the overrides
                FloorRun b = floorRun(kafka, events, generator, file, "floor-b" + run, "bench platform floor B " + scheme, true,
                        floorProducer);
                out.printf("| %s | - | %s | %d | %.2f | %.0f | %.2f | %.0f | - | %.0f%% | %.1f | %.0f |%n", scheme,
                        FLOOR_LABEL + " with producer " + floorProducer, chainTxs, b.seconds, chainTxs / b.seconds, b.span,
                        chainTxs / b.span, 100 * ref.seconds() / b.seconds, b.cpu, 1e6 * b.cpu / chainTxs);
                load.addAll(b.job.load());
                // and the defaults once more after it, so that neither side is always the warmer one
                FloorRun a = floorRun(kafka, events, generator, file, "floor-a" + run, "bench platform floor A " + scheme, false);
                out.printf("| %s | - | %s | %d | %.2f | %.0f | %.2f | %.0f | - | %.0f%% | %.1f | %.0f |%n", scheme,
                        FLOOR_LABEL + " again (default producer)", chainTxs, a.seconds, chainTxs / a.seconds, a.span,
                        chainTxs / a.span, 100 * ref.seconds() / a.seconds, a.cpu, 1e6 * a.cpu / chainTxs);
            }
            return load;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** One floor job run: its topics, wall seconds, CPU seconds (this JVM plus a broker process), executor-style span. */
    private record FloorRun(TopicNames topics, double seconds, double cpu, double span, JobRun job) {}

    private FloorRun floorRun(Broker kafka, List<ChainEvent> events, GeneratedChain generator, Path template, String name,
                              String jobName, boolean measure) throws Exception {
        return floorRun(kafka, events, generator, template, name, jobName, measure, java.util.Map.of());
    }

    private FloorRun floorRun(Broker kafka, List<ChainEvent> events, GeneratedChain generator, Path template, String name,
                              String jobName, boolean measure, java.util.Map<String, String> producer) throws Exception {
        TopicNames topics = publish(kafka, events, name);
        long cpu1 = processCpuNanos();
        double brokerCpu1 = kafka.processCpuSeconds();
        long t1 = System.nanoTime();
        JobRun job = runJob(kafka, topics, events.size(), generator, "sequential", AssumeValid.NONE, name, jobName, measure,
                null, template, producer);
        double seconds = (System.nanoTime() - t1) / 1e9;
        double cpu = (processCpuNanos() - cpu1) / 1e9;
        double brokerCpu = kafka.processCpuSeconds() - brokerCpu1;
        if (!Double.isNaN(brokerCpu)) {
            cpu += brokerCpu;
        }
        var acc = job.accumulators();
        double span = acc.containsKey(ExecutorMetrics.ACC_LAST_MS)
                ? (((Number) acc.get(ExecutorMetrics.ACC_LAST_MS)).longValue()
                        - ((Number) acc.get(ExecutorMetrics.ACC_FIRST_MS)).longValue()) / 1000.0
                : Double.NaN;
        return new FloorRun(topics, seconds, cpu, span, job);
    }

    /** The floor row's "where" column: never to be mistaken for the job. */
    public static final String FLOOR_LABEL = "platform floor (MEASUREMENT: decode + same feeds, no execution)";

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * CPU time of this whole JVM (engine, MiniCluster, embedded broker): on a shared machine the
     * wall-clock columns move with other load, CPU per transaction much less.
     */
    /**
     * The bench main thread's CPU over one job, by phase (MEASUREMENT): starting the local cluster
     * and submitting the job (a bounded job's fixed cost, which a long-running job pays once), then
     * waiting for and reading back the block results (the bench's own, not the job's), then
     * collecting the job's end (accumulators, the MiniCluster's shutdown).
     */
    private static String mainThreadLine(long submitNanos, long readNanos, long endNanos, int events) {
        return String.format("bench main thread CPU: %.2f s starting the local cluster and submitting the job,"
                        + " %.2f s reading the %d block results back (%.1f ms a result), %.2f s collecting the job's end",
                submitNanos / 1e9, readNanos / 1e9, events, readNanos / 1e6 / Math.max(1, events), endNanos / 1e9);
    }

    private static long currentThreadCpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : 0;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
