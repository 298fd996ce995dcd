package io.bitquan.flow.operators.monitor;

import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.operators.model.FeedBatch;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.model.avro.BlockResult;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.CoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The metrics worth alerting on, per chain, measured where the feeds enter the exactly-once sink
 * (chained to it, at the sink's parallelism, a chain's records and tips routed to one subtask): records pass through unchanged and in order. Input 1 is every
 * feed record (block results, diffs, receipts, dead letters) in {@link FeedBatch}es, unpacked here
 * into the sink's records; input 2 the {@link SourceTip} of
 * every event read from chain-events.
 *
 * <p>Per chain (metric group {@code chain=<id>}, a Prometheus label): {@code sourceHeight},
 * {@code tipHeight}, {@code blocksBehind}, {@code lastBlockLatencyMillis}, {@code divergences},
 * {@code deadLetters}. For the job: {@code checkpointAgeMillis}, the time since the last completed
 * checkpoint, i.e. how stale a read_committed consumer's view is. Wall-clock readings feed metrics
 * only, never a record. Stateless: after a restore the counters start again from the restored
 * cut (sourceHeight and tipHeight are right again after the next event).
 */
public final class FeedMonitor extends CoProcessFunction<FeedBatch, SourceTip, FeedRecord> implements CheckpointListener {
    private static final long serialVersionUID = 1L;
    /** Dead letters whose record had no chain key. */
    static final String UNKNOWN_CHAIN = "unknown";

    private transient Map<String, ChainProgress> chains;
    private transient MetricGroup metrics;
    private transient volatile long lastCheckpointNanos;

    @Override
    public void open(OpenContext context) {
        chains = new HashMap<>();
        metrics = getRuntimeContext().getMetricGroup();
        lastCheckpointNanos = System.nanoTime();
        metrics.gauge("checkpointAgeMillis", (Gauge<Long>) () -> (System.nanoTime() - lastCheckpointNanos) / 1_000_000);
    }

    @Override
    public void processElement1(FeedBatch batch, Context ctx, Collector<FeedRecord> out) throws IOException {
        for (int i = 0; i < batch.size(); i++) {
            FeedRecord record = batch.record(i);
            if (record.topic == Topic.BLOCK_RESULTS) {
                BlockResult r = AvroSingleObject.BLOCK_RESULT.decode(record.value);
                chain(r.getChainId()).result(r.getHeight(), r.getAccepted(), r.getDivergence(), System.nanoTime());
            } else if (record.topic == Topic.DEAD_LETTER) {
                chain(record.key != null ? record.key : UNKNOWN_CHAIN).deadLetter();
            }
            out.collect(record);
        }
    }

    @Override
    public void processElement2(SourceTip tip, Context ctx, Collector<FeedRecord> out) {
        chain(tip.chainId).read(tip.height, System.nanoTime());
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        lastCheckpointNanos = System.nanoTime();
    }

    /** This chain's progress, registering its gauges on first sight. */
    ChainProgress chain(String chainId) {
        return chains.computeIfAbsent(chainId, id -> {
            ChainProgress p = new ChainProgress();
            MetricGroup g = metrics.addGroup("chain", id);
            g.gauge("sourceHeight", (Gauge<Long>) p::sourceHeight);
            g.gauge("tipHeight", (Gauge<Long>) p::tipHeight);
            g.gauge("blocksBehind", (Gauge<Long>) p::blocksBehind);
            g.gauge("lastBlockLatencyMillis", (Gauge<Double>) p::lastBlockLatencyMillis);
            g.gauge("divergences", (Gauge<Long>) p::divergences);
            g.gauge("deadLetters", (Gauge<Long>) p::deadLetters);
            return p;
        });
    }
}
