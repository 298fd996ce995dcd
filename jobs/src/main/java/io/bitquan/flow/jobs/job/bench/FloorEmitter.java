package io.bitquan.flow.jobs.job.bench;

import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.operators.execute.ExecutorMetrics;
import io.bitquan.flow.operators.model.ChainInput;
import io.bitquan.flow.operators.model.FeedBatch;
import java.nio.file.Path;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * MEASUREMENT ONLY (bench job --floor): stands where the sequencer, preparers, executor,
 * commitment partitions and committer of the real job stand, and does none of their work. For the
 * n-th decoded event of a chain it emits the n-th event's feed records of a {@link FeedTemplate}
 * taken from the real job's output: the real BlockResult bytes, and each StateDiff / Receipt as a
 * zero-filled value of the real size, in one {@link FeedBatch} as the committer does. Keyed state
 * (the event count, in the job's state backend) so that checkpoints snapshot real keyed state.
 * Never part of the product's job graph: its results are not computed, only their shape is.
 *
 * <p>Registers the executor's first-unit / last-block accumulators so that the bench reports the
 * same "first->last block" span for the floor as for the job.
 */
public final class FloorEmitter extends KeyedProcessFunction<String, ChainInput, FeedBatch> {
    private static final long serialVersionUID = 1L;
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final String templateFile;
    private transient FeedTemplate template;
    private transient ValueState<Long> events;
    private transient LongMinimum first;
    private transient LongMaximum last;

    public FloorEmitter(Path templateFile) {
        this.templateFile = templateFile.toString();
    }

    @Override
    public void open(OpenContext context) throws Exception {
        template = FeedTemplate.load(Path.of(templateFile));
        events = getRuntimeContext().getState(new ValueStateDescriptor<>("floor-events-v1", Types.LONG));
        first = new LongMinimum();
        last = new LongMaximum();
        getRuntimeContext().addAccumulator(ExecutorMetrics.ACC_FIRST_MS, first);
        getRuntimeContext().addAccumulator(ExecutorMetrics.ACC_LAST_MS, last);
    }

    @Override
    public void processElement(ChainInput input, Context ctx, Collector<FeedBatch> out) throws Exception {
        if (first.getLocalValuePrimitive() == Long.MAX_VALUE) {
            first.add(System.currentTimeMillis()); // metrics only, as in the executor
        }
        Long seen = events.value();
        int n = seen == null ? 0 : seen.intValue();
        if (n >= template.events().size()) {
            throw new IllegalStateException("floor job: event " + n + " of chain " + input.chainId
                    + " is beyond the template's " + template.events().size() + " events");
        }
        FeedTemplate.Event e = template.event(n);
        FeedBatch.Builder batch = new FeedBatch.Builder(input.chainId, (int) Math.min(Integer.MAX_VALUE, e.bytes()));
        batch.add(Topic.BLOCK_RESULTS, e.result());
        Topic[] topics = Topic.values();
        for (int i = 0; i < e.sizes().length; i++) {
            int size = e.sizes()[i];
            for (int written = 0; written < size; written += ZEROS.length) {
                batch.out().write(ZEROS, 0, Math.min(ZEROS.length, size - written));
            }
            batch.end(topics[e.topics()[i]]);
        }
        out.collect(batch.build());
        events.update((long) n + 1);
        last.add(System.currentTimeMillis());
    }
}
