package io.bitquan.flow.operators.execute;

import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.CHAIN;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.backend;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.executor;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.executorInput;
import static io.bitquan.flow.operators.execute.ExecutorCommitterHarnessTest.harness;
import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.operators.commit.CommitmentPartition;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.CommitPart;
import java.util.ArrayList;
import java.util.Comparator;
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
 * The executor's waiting units and chunks live on the heap and reach Flink state only in a
 * snapshot (operator state {@code waiting-parts-v1}): a checkpoint in the middle of a block restores
 * and finishes the block identically, and a snapshot of the previous layout (parts in keyed
 * {@code pending-units-v1} / {@code pending-chunks-v1}) still restores, on both backends.
 */
class WaitingPartsSnapshotHarnessTest {

    /** The sequencer's order: each unit, then its chunks. */
    private static List<BlockPart> inOrder() throws Exception {
        List<BlockPart> input = new ArrayList<>(executorInput());
        input.sort(Comparator.comparingLong((BlockPart p) -> p.seq).thenComparing(p -> p.kind == BlockPart.Kind.PREPARED)
                .thenComparingInt(p -> p.chunkIndex));
        return input;
    }

    /** Index just after the first chunk of the first START with two or more chunks: mid-block. */
    private static int midBlock(List<BlockPart> input) {
        for (int i = 0; i < input.size(); i++) {
            BlockPart p = input.get(i);
            if (p.kind == BlockPart.Kind.START && p.chunkCount >= 2) {
                return i + 2;
            }
        }
        throw new AssertionError("the fixture chain has no block of two chunks or more");
    }

    /** Feeds {@code input} into an executor restored from {@code snapshot} (null: fresh), collecting its output. */
    private static OperatorSubtaskState run(String backendName, OperatorSubtaskState snapshot, List<BlockPart> input,
                                            List<CommitPart> committerIn, int[] waitingAtEnd) throws Exception {
        BlockExecutor f = executor();
        var exec = harness(f, backend(backendName));
        if (snapshot != null) {
            exec.initializeState(snapshot);
        }
        exec.open();
        for (BlockPart p : input) {
            exec.processElement(new StreamRecord<>(p));
        }
        committerIn.addAll(exec.extractOutputValues());
        if (exec.getSideOutput(BlockExecutor.KEY_BATCHES) != null) {
            for (StreamRecord<CommitPart> k : exec.getSideOutput(BlockExecutor.KEY_BATCHES)) {
                committerIn.add(CommitmentPartition.delta(k.getValue()));
            }
        }
        exec.getOperator().setCurrentKey(CHAIN.chainId);
        waitingAtEnd[0] = f.pendingEntries(CHAIN.chainId);
        OperatorSubtaskState out = exec.snapshot(7, 7);
        exec.close();
        return out;
    }

    private static void assertReference(List<CommitPart> committerIn) throws Exception {
        ExecutorCommitterHarnessTest.assertCommitsToReference(committerIn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aCheckpointInTheMiddleOfABlockRestoresAndFinishesItIdentically(String backendName) throws Exception {
        List<BlockPart> input = inOrder();
        int cut = midBlock(input);
        List<CommitPart> committerIn = new ArrayList<>();
        int[] waiting = new int[1];
        OperatorSubtaskState snapshot = run(backendName, null, input.subList(0, cut), committerIn, waiting);
        assertThat(waiting[0]).as("the block's START and first chunk wait in the snapshot").isEqualTo(2);

        int[] left = new int[1];
        run(backendName, snapshot, input.subList(cut, input.size()), committerIn, left);
        assertThat(left[0]).as("nothing waits once the chain is done").isZero();
        assertReference(committerIn);
    }

    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aSnapshotWithWaitingPartsInKeyedStateRestores(String backendName) throws Exception {
        List<BlockPart> input = executorInput(); // reversed: most parts wait
        int half = input.size() / 2;
        List<CommitPart> committerIn = new ArrayList<>();
        int[] waiting = new int[1];
        OperatorSubtaskState snapshot = run(backendName, null, input.subList(0, half), committerIn, waiting);
        assertThat(waiting[0]).isGreaterThan(2);

        int[] moved = new int[1];
        OperatorSubtaskState legacy = toKeyedState(snapshot, backendName, moved);
        assertThat(moved[0]).as("every waiting part moved to the VERSION 2 keyed layout").isEqualTo(waiting[0]);

        int[] left = new int[1];
        run(backendName, legacy, input.subList(half, input.size()), committerIn, left);
        assertThat(left[0]).as("the keyed VERSION 2 buffers are emptied as their blocks complete").isZero();
        assertReference(committerIn);
    }

    /** Moves the snapshot's waiting parts into state VERSION 2's keyed buffers (what such a snapshot holds). */
    private static final class ToKeyedBuffers extends KeyedProcessFunction<String, String, Integer> implements CheckpointedFunction {
        private transient ListState<BlockPart> heap;
        private transient MapState<Long, BlockPart> units;
        private transient MapState<Long, BlockPart> chunks;
        private transient MapState<Long, Integer> arrivals;

        @Override
        public void initializeState(FunctionInitializationContext context) throws Exception {
            heap = context.getOperatorStateStore().getUnionListState(
                    new ListStateDescriptor<>("waiting-parts-v1", TypeInformation.of(BlockPart.class)));
        }

        @Override
        public void snapshotState(FunctionSnapshotContext context) {}

        @Override
        public void open(OpenContext context) {
            var rc = getRuntimeContext();
            units = rc.getMapState(new MapStateDescriptor<>("pending-units-v1", Types.LONG, TypeInformation.of(BlockPart.class)));
            chunks = rc.getMapState(new MapStateDescriptor<>("pending-chunks-v1", Types.LONG, TypeInformation.of(BlockPart.class)));
            arrivals = rc.getMapState(new MapStateDescriptor<>("chunk-arrivals-v1", Types.LONG, Types.INT));
        }

        @Override
        public void processElement(String chainId, Context ctx, Collector<Integer> out) throws Exception {
            int n = 0;
            for (BlockPart p : heap.get()) {
                if (p.kind == BlockPart.Kind.PREPARED) {
                    chunks.put(WaitingParts.chunkKey(p.seq, p.chunkIndex), p);
                    Integer before = arrivals.get(p.seq);
                    arrivals.put(p.seq, before == null ? 1 : before + 1);
                } else {
                    units.put(p.seq, p);
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
