package io.bitquan.flow.kafka.embedded;

import io.bitquan.flow.kafka.topics.TopicAdmin;
import io.bitquan.flow.kafka.topics.TopicNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@link EmbeddedKafka} broker in a JVM of its own (same classpath), as a deployment has it:
 * its threads, heap and JIT compiler queue are not the job's. The benchmark uses it to keep the
 * broker's compilation and GC out of the job's JVM (on a 2-core machine it still shares the
 * cores). The child prints {@code bootstrap=<host:port>} once ready and stops when its stdin
 * closes, so it cannot outlive this JVM by more than that pipe.
 */
public final class BrokerProcess implements Broker {
    private static final String READY = "bootstrap=";

    private final Process process;
    private final String bootstrap;

    private BrokerProcess(Process process, String bootstrap) {
        this.process = process;
        this.bootstrap = bootstrap;
    }

    /** Starts the child JVM and waits until its broker is ready. */
    public static BrokerProcess start() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                BrokerProcess.class.getName()))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(READY)) {
                    return new BrokerProcess(process, line.substring(READY.length()));
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("the broker process ended before it was ready (exit " + process.waitFor() + ")");
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the broker process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public BrokerProcess createTopics(TopicNames names) {
        TopicAdmin.createMissing(bootstrap, names, (short) 1);
        return this;
    }

    /** utime + stime of the child from /proc (Linux; NaN elsewhere). */
    @Override
    public double processCpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(rest[11]) + Long.parseLong(rest[12])) / 100.0; // USER_HZ
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close(); // the child's stdin: its signal to stop
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The child: start the broker, announce it, run until stdin closes. */
    public static void main(String[] args) throws IOException {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            System.out.println(READY + kafka.bootstrapServers());
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing is sent; EOF means the parent closed the pipe or died
            }
        }
    }
}
