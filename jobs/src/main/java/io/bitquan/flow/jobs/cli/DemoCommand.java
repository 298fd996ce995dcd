package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.vm.ReplayVm;
import io.bitquan.flow.jobs.job.BlockResults;
import io.bitquan.flow.jobs.job.ChainJob;
import io.bitquan.flow.jobs.job.JobOptions;
import io.bitquan.flow.jobs.job.KafkaChainJob;
import io.bitquan.flow.jobs.reorg.SavepointScheduler;
import io.bitquan.flow.kafka.embedded.EmbeddedKafka;
import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.kafka.topics.TopicNames;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.execute.ExecutorMetrics;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code demo}: the whole product on one machine. An embedded Kafka broker and a Flink
 * MiniCluster (Web UI on localhost:8081, or the next free port), the chain {@code generate}
 * produces for the same flags streamed into {@code chain-events}, one line per block as the
 * exactly-once {@code block-results} arrive, a summary, and {@code final-root=<hex>} last.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the Flink job on an embedded Kafka + MiniCluster over a generated chain; prints one line per block and final-root=<hex> last.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--blocks", defaultValue = "20", description = "blocks (default ${DEFAULT-VALUE})")
    int blocks;

    @Option(names = "--txs", defaultValue = "200", description = "transactions per block besides the coinbase (default ${DEFAULT-VALUE})")
    int txs;

    @Option(names = "--workload", defaultValue = "mixed", description = "utxo, utxo-chained, transfer, mixed, token, counter or amm (default ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--accounts", defaultValue = "1000", description = "accounts for transfer/mixed (default ${DEFAULT-VALUE})")
    int accounts;

    @Option(names = "--holders", defaultValue = "100", description = "token holders / distinct callers for contract workloads (default ${DEFAULT-VALUE})")
    int holders;

    @Option(names = "--invalid-every", defaultValue = "0", description = "before every K-th block also emit an invalid variant (0 = never)")
    int invalidEvery;

    @Option(names = "--reorg-every", defaultValue = "0", description = "before every K-th block, connect a side branch and disconnect it again (0 = never)")
    int reorgEvery;

    @Option(names = "--reorg-depth", defaultValue = "1", description = "blocks in each side branch (default ${DEFAULT-VALUE})")
    int reorgDepth;

    @Option(names = "--savepoint-every", defaultValue = "0",
            description = "take a savepoint (catalogued for reorg-restore) each time the chain reaches a multiple of N blocks; needs --savepoint-dir (0 = never)")
    int savepointEvery;

    @Option(names = "--hostile-every", defaultValue = "0",
            description = "before every K-th block also publish one record of the hostile corpus, kinds in rotation (0 = never)")
    int hostileEvery;

    @Option(names = "--signatures", defaultValue = "ml-dsa-65", description = "ml-dsa-65 or ed25519 (default ${DEFAULT-VALUE})")
    String signatures;

    @Option(names = "--web-ui-port", defaultValue = "8081", description = "Flink Web UI port; the next free one if busy (default ${DEFAULT-VALUE})")
    int webUiPort;

    @Option(names = "--keep-running", description = "keep Kafka, the job and the Web UI up after the chain is processed (Ctrl-C to stop)")
    boolean keepRunning;

    @Option(names = "--timeout", defaultValue = "600", description = "give up after this many seconds (default ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Mixin
    JobFlags flags = new JobFlags();

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        JobOptions jobOptions = flags.toOptions();
        jobOptions.webUiPort = freePort(webUiPort);

        GeneratedChain generator = Chains.generator(seed, blocks, txs, workload, accounts, holders, invalidEvery, signatures,
                reorgEvery, reorgEvery > 0 ? reorgDepth : 0);
        List<ChainEvent> events = new java.util.ArrayList<>();
        generator.generate(events::add, new ProgressBar(System.err, "generate", true));
        out.println("chain: " + blocks + " blocks x " + txs + " txs (" + workload + ", " + signatures + "), "
                + events.size() + " events");

        TopicNames topics = TopicNames.defaults();
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            kafka.createTopics(topics);
            out.println("kafka: embedded broker at " + kafka.bootstrapServers());
            ChainJob job = KafkaChainJob.create(kafka.bootstrapServers(), topics, ChainCatalog.of(List.of(generator.genesis())),
                    jobOptions, false);
            JobClient client = KafkaChainJob.startLocal(job, jobOptions, "bitquan-flow demo");
            out.println("flink: job " + client.getJobID() + " (engine " + jobOptions.engine + ", " + jobOptions.executorThreads
                    + " threads, parallelism " + jobOptions.parallelism + ", " + jobOptions.stateBackend + ") Web UI http://localhost:"
                    + jobOptions.webUiPort);
            SavepointScheduler scheduler = null;
            if (savepointEvery > 0) {
                if (jobOptions.savepointDir == null) {
                    throw new Main.UserError("--savepoint-every needs --savepoint-dir");
                }
                scheduler = new SavepointScheduler("http://localhost:" + jobOptions.webUiPort, client.getJobID(),
                        kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS), savepointEvery, jobOptions.savepointDir,
                        line -> System.err.println(line));
                Thread watcher = new Thread(scheduler, "savepoint-scheduler");
                watcher.setDaemon(true);
                watcher.start();
            }
            long start = System.nanoTime();
            HostileDemo hostile = new HostileDemo(events, hostileEvery, generator.genesis());
            try (ChainEventPublisher publisher = new ChainEventPublisher(kafka.bootstrapServers(), topics.name(Topic.CHAIN_EVENTS))) {
                ProgressBar bar = new ProgressBar(System.err, "publish ", true);
                for (int i = 0; i < hostile.feed().size(); i++) {
                    hostile.publish(publisher, i);
                    bar.progress(i + 1, hostile.feed().size());
                }
            }
            List<BlockResult> results = BlockResults.await(kafka.bootstrapServers(), topics.name(Topic.BLOCK_RESULTS),
                    hostile.expectedResults(), client, Duration.ofSeconds(timeoutSeconds), r -> out.println(BlockResults.line(r)));
            hostile.report(out, kafka.bootstrapServers(), topics.name(Topic.DEAD_LETTER), results);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (scheduler != null) {
                scheduler.stop();
            }
            Map<String, Object> acc = client.getAccumulators().get(30, TimeUnit.SECONDS);

            String reference = referenceRoot(generator, events);
            String finalRoot = Bytes.hex(Bytes.of(results.get(results.size() - 1).getStateRoot()));
            long accepted = results.stream().filter(BlockResult::getAccepted).count();
            long executedTxs = number(acc, ExecutorMetrics.ACC_TXS);
            long executions = number(acc, ExecutorMetrics.ACC_EXECUTIONS);
            long aborts = number(acc, ExecutorMetrics.ACC_ABORTS);
            long committedTxs = results.stream().filter(BlockResult::getAccepted).mapToLong(BlockResult::getTxCount).sum();
            out.printf("summary: %d events, %d blocks accepted, %d rejected, %d txs in %.1f s = %.0f tps end to end (Kafka -> Kafka, exactly once)%n",
                    results.size(), accepted, results.size() - accepted, committedTxs, seconds, committedTxs / seconds);
            out.printf("engine %s: abort rate %.3f, re-execution rate %.3f, fallbacks %d%n", jobOptions.engine,
                    rate(aborts, executedTxs), rate(Math.max(0, executions - executedTxs), executedTxs),
                    number(acc, ExecutorMetrics.ACC_FALLBACKS));
            boolean equal = reference.equals(finalRoot);
            out.println("sequential reference (ChainRunner, in-process): " + (equal ? "equal" : "DIFFERENT: " + reference));
            if (keepRunning) {
                out.println("keep-running: Web UI http://localhost:" + jobOptions.webUiPort + ", Kafka " + kafka.bootstrapServers()
                        + "; Ctrl-C to stop");
                out.println("final-root=" + finalRoot);
                out.flush();
                new CountDownLatch(1).await();
            }
            client.cancel().get(30, TimeUnit.SECONDS);
            out.println("final-root=" + finalRoot);
            return equal ? 0 : 1;
        }
    }

    private static String referenceRoot(GeneratedChain generator, List<ChainEvent> events) {
        ChainRunner runner = new ChainRunner(new ChainConfig(generator.genesis()), new InMemoryStateStore(),
                Engines.create("sequential", 1, ReplayVm.of(Vms.chainVm())), new BlockPreparer(null));
        for (ChainEvent e : events) {
            runner.process(e);
        }
        return Bytes.hex(runner.stateRoot());
    }

    private static long number(Map<String, Object> acc, String name) {
        Object v = acc.get(name);
        return v instanceof Number n ? n.longValue() : 0;
    }

    private static double rate(long part, long whole) {
        return whole == 0 ? 0 : (double) part / whole;
    }

    /** {@code preferred} if nothing listens there, else the next free port above it. */
    static int freePort(int preferred) {
        for (int port = preferred; port < preferred + 100; port++) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                s.setReuseAddress(true);
                return port;
            } catch (IOException busy) {
                // try the next one
            }
        }
        throw new Main.UserError("no free port for the Web UI in " + preferred + ".." + (preferred + 99));
    }
}
