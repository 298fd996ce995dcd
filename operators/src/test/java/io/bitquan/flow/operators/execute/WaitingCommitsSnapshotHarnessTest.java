package io.bitquan.flow.operators.execute;

import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.BUCKETS;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.CHAIN;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.backend;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.executor;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.executorInput;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.harness;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.results;
import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.operators.commit.BlockCommitter;
import io.bitquan.flow.operators.commit.CommitmentPartition;
import io.bitquan.flow.operators.commit.CommitterProbe;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.CommitPart;
import io.bitquan.flow.operators.model.FeedBatch;
import io.bitquan.flow.kafka.io.FeedRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committer's waiting summaries and deltas live on the heap and reach Flink state only in a
 * snapshot (operator state {@code waiting-commits-v1}): a snapshot with parts waiting restores and
 * commits the same feeds, and a snapshot of the previous layout (keyed
 * {@code pending-summaries-v1} / {@code pending-deltas-v1}) still restores, on both backends.
 */
class WaitingCommitsSnapshotHarnessTest {

    /** The committer's input for the fixture chain, reversed: most parts wait for earlier units. */
    private static List<CommitPart> committerInput() throws Exception {
        var exec = harness(executor(), backend("hashmap"));
        exec.open();
        for (BlockPart p : executorInput()) {
            exec.processElement(new StreamRecord<>(p));
        }
        List<CommitPart> in = new ArrayList<>(exec.extractOutputValues());
        for (StreamRecord<CommitPart> k : exec.getSideOutput(BlockExecutor.KEY_BATCHES)) {
            in.add(CommitmentPartition.delta(k.getValue()));
        }
        exec.close();
        Collections.reverse(in);
        return in;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CommitPart, FeedBatch> committer(BlockCommitter c, String backendName)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(c), (CommitPart p) -> p.chainId, Types.STRING);
        h.setStateBackend(backend(backendName));
        h.setup();
        return h;
    }

    /** Feeds {@code input} into a committer restored from {@code snapshot} (null: fresh); returns its snapshot. */
    private static OperatorSubtaskState run(String backendName, OperatorSubtaskState snapshot, List<CommitPart> input,
                                            List<FeedRecord> feeds, int[] waitingAtEnd) throws Exception {
        BlockCommitter c = new BlockCommitter(CHAIN.catalog, BUCKETS);
        var h = committer(c, backendName);
        if (snapshot != null) {
            h.initializeState(snapshot);
        }
        h.open();
        for (CommitPart p : input) {
            h.processElement(new StreamRecord<>(p));
        }
        feeds.addAll(FeedBatch.records(h.extractOutputValues()));
        h.getOperator().setCurrentKey(CHAIN.chainId);
        waitingAtEnd[0] = CommitterProbe.pendingEntries(c);
        OperatorSubtaskState out = h.snapshot(5, 5);
        h.close();
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aSnapshotWithWaitingPartsRestoresAndCommitsTheSameFeeds(String backendName) throws Exception {
        List<CommitPart> input = committerInput();
        int half = input.size() / 2;
        List<FeedRecord> feeds = new ArrayList<>();
        int[] waiting = new int[1];
        OperatorSubtaskState snapshot = run(backendName, null, input.subList(0, half), feeds, waiting);
        assertThat(waiting[0]).as("the reversed first half waits").isEqualTo(half);

        int[] left = new int[1];
        run(backendName, snapshot, input.subList(half, input.size()), feeds, left);
        assertThat(left[0]).as("nothing waits once the chain is done").isZero();
        assertThat(results(feeds)).containsExactlyElementsOf(CHAIN.reference);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aSnapshotWithWaitingPartsInKeyedStateRestores(String backendName) throws Exception {
        List<CommitPart> input = committerInput();
        int half = input.size() / 2;
        List<FeedRecord> feeds = new ArrayList<>();
        int[] waiting = new int[1];
        OperatorSubtaskState snapshot = run(backendName, null, input.subList(0, half), feeds, waiting);

        int[] moved = new int[1];
        OperatorSubtaskState legacy = toKeyedState(snapshot, backendName, moved);
        assertThat(moved[0]).as("every waiting part moved to the VERSION 1 keyed layout").isEqualTo(waiting[0]).isPositive();

        int[] left = new int[1];
        run(backendName, legacy, input.subList(half, input.size()), feeds, left);
        assertThat(left[0]).as("the keyed VERSION 1 buffers are emptied as their units complete").isZero();
        assertThat(results(feeds)).containsExactlyElementsOf(CHAIN.reference);
    }

    /** Moves the snapshot's waiting parts into the committer's VERSION 1 keyed buffers (what such a snapshot holds). */
    private static final class ToKeyedBuffers extends KeyedProcessFunction<String, String, Integer> implements CheckpointedFunction {
        private transient ListState<CommitPart> heap;
        private transient MapState<Long, CommitPart> summaries;
        private transient MapState<Long, CommitPart> deltas;

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            heap = context.getOperatorStateStore().getUnionListState(
                    new ListStateDescriptor<>("waiting-commits-v1", TypeInformation.of(CommitPart.class)));
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {}

        @Override
        public void open(OpenContext context) {
            var rc = getRuntimeContext();
            summaries = rc.getMapState(new MapStateDescriptor<>("pending-summaries-v1", Types.LONG, TypeInformation.of(CommitPart.class)));
            deltas = rc.getMapState(new MapStateDescriptor<>("pending-deltas-v1", Types.LONG, TypeInformation.of(CommitPart.class)));
        }

        @Override
        public void processElement(String chainId, Context ctx, Collector<Integer> out) throws Exception {
            int n = 0;
            for (CommitPart p : heap.get()) {
                if (p.kind == CommitPart.Kind.SUMMARY) {
                    summaries.put(p.seq, p);
                } else {
                    deltas.put((p.seq << 20) | p.bucket, p);
                }
                n++;
            }
            heap.clear();
            out.collect(n);
        }
    }

    private static OperatorSubtaskState toKeyedState(OperatorSubtaskState snapshot, String backendName, int[] moved) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new ToKeyedBuffers()),
                (String k) -> k, Types.STRING);
        h.setStateBackend(backend(backendName));
        h.setup();
        h.initializeState(snapshot);
        h.open();
        h.processElement(new StreamRecord<>(CHAIN.chainId));
        moved[0] = h.extractOutputValues().get(0);
        OperatorSubtaskState out = h.snapshot(2, 2);
        h.close();
        return out;
    }
}
