package io.bitquan.flow.jobs.job;

import io.bitquan.flow.kafka.io.FeedReader;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.codec.Bytes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.core.execution.JobClient;

/** Reading {@code block-results} the way an indexer does (read_committed), while a job runs. */
public final class BlockResults {
    private BlockResults() {}

    /** The CLI's per-block line, same format as {@code execute}. */
    public static String line(BlockResult r) {
        String root = Bytes.hex(Bytes.of(r.getStateRoot()));
        if (!r.getAccepted()) {
            return "block " + r.getHeight() + (r.getDisconnected() ? " disconnect-rejected" : " rejected") + " rule="
                    + r.getRejectedRule();
        }
        return r.getDisconnected() ? "block " + r.getHeight() + " disconnected root=" + root
                : "block " + r.getHeight() + " accepted root=" + root;
    }

    /**
     * Reads results until {@code expected} distinct ones have arrived (a repeat, which
     * at-least-once delivery may produce after a failure, is byte-identical and is skipped), the job ends without producing more, or
     * the deadline passes. A failed job fails the wait immediately with the job's error.
     */
    public static List<BlockResult> await(String bootstrap, String topic, int expected, JobClient job, Duration timeout,
                                          Consumer<BlockResult> onEach) throws Exception {
        List<BlockResult> results = new ArrayList<>();
        java.util.Set<java.nio.ByteBuffer> seen = new java.util.HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (FeedReader reader = new FeedReader(bootstrap, topic)) {
            boolean finished = false;
            while (results.size() < expected) {
                List<byte[]> batch = reader.poll(Duration.ofMillis(200));
                for (byte[] value : batch) {
                    if (!seen.add(java.nio.ByteBuffer.wrap(value))) {
                        continue;
                    }
                    BlockResult r = decode(value);
                    results.add(r);
                    onEach.accept(r);
                }
                if (!batch.isEmpty()) {
                    continue;
                }
                if (finished) {
                    break;
                }
                var execution = job.getJobExecutionResult();
                if (execution.isDone()) {
                    execution.get(); // rethrows the job's failure
                    finished = true;
                    continue;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("timed out after " + timeout + " with " + results.size() + " of "
                            + expected + " block results");
                }
            }
        }
        return results;
    }

    public static BlockResult decode(byte[] value) {
        try {
            return AvroSingleObject.BLOCK_RESULT.decode(value);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable block result: " + e.getMessage(), e);
        }
    }
}
