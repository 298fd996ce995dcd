package io.bitquan.flow.jobs.job.bench;

import io.bitquan.flow.kafka.io.ChainEventPublisher;
import io.bitquan.flow.model.avro.ChainEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;

/**
 * Publishes a chain's events at a fixed rate into a running job's chain-events topic and keeps
 * each event's publication time (the broker's ack: from then on the job can read it), so that
 * a block's latency is "published -> its result readable". Below the job's capacity this is the
 * latency a live chain sees; it is the bench's measure of the checkpoint interval trade
 * (exactly-once results become readable when the checkpoint after them completes).
 */
public final class PacedPublisher {
    /** Blocks left out of the latency figures: the job's first blocks pay its start-up and warm-up. */
    public static final int SKIP = 5;

    private final AtomicLongArray publishedNanos;
    private final Thread thread;
    private volatile boolean stopped;

    private PacedPublisher(String bootstrap, String topic, List<ChainEvent> events, double blocksPerSecond, JobClient job) {
        this.publishedNanos = new AtomicLongArray(events.size());
        this.thread = new Thread(() -> run(bootstrap, topic, events, blocksPerSecond, job), "bench-publisher");
        this.thread.setDaemon(true);
    }

    public static PacedPublisher start(String bootstrap, String topic, List<ChainEvent> events, double blocksPerSecond,
                                       JobClient job) {
        PacedPublisher p = new PacedPublisher(bootstrap, topic, events, blocksPerSecond, job);
        p.thread.start();
        return p;
    }

    private void run(String bootstrap, String topic, List<ChainEvent> events, double blocksPerSecond, JobClient job) {
        try (ChainEventPublisher publisher = new ChainEventPublisher(bootstrap, topic)) {
            // start when the job runs, so that the first blocks wait for tasks, not for deployment
            while (!stopped && job.getJobStatus().get() != JobStatus.RUNNING) {
                Thread.sleep(100);
            }
            long start = System.nanoTime();
            for (int i = 0; i < events.size() && !stopped; i++) {
                long due = start + (long) (i * 1e9 / blocksPerSecond);
                while (!stopped && System.nanoTime() < due) {
                    LockSupport.parkNanos(due - System.nanoTime());
                }
                publisher.publish(events.get(i));
                publishedNanos.set(i, System.nanoTime());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("paced publishing failed: " + e.getMessage(), e);
        }
    }

    /** Latency of event {@code index} whose result was read at {@code readNanos}. */
    public long latencyNanos(int index, long readNanos) {
        return readNanos - publishedNanos.get(index);
    }

    public void stop() throws InterruptedException {
        stopped = true;
        thread.join(10_000);
    }

    /** "latency ... p50 / p90 / max" over the blocks after the first {@link #SKIP}. */
    public static String latencyLine(List<Long> latencies, double blocksPerSecond, long checkpointMillis) {
        List<Long> measured = new ArrayList<>(latencies.subList(Math.min(SKIP, latencies.size()), latencies.size()));
        measured.sort(null);
        if (measured.isEmpty()) {
            return "latency: no blocks after the first " + SKIP;
        }
        return String.format("latency publish -> result readable (read_committed), %d blocks at %.1f blocks/s, checkpoint %d ms:"
                        + " p50 %d ms, p90 %d ms, max %d ms", measured.size(), blocksPerSecond, checkpointMillis,
                percentile(measured, 50) / 1_000_000, percentile(measured, 90) / 1_000_000,
                measured.get(measured.size() - 1) / 1_000_000);
    }

    static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
