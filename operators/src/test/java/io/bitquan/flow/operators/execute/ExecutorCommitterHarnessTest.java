package io.bitquan.flow.operators.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import java.nio.ByteBuffer;
import io.bitquan.flow.operators.Fixtures;
import io.bitquan.flow.operators.commit.BlockCommitter;
import io.bitquan.flow.operators.model.FeedBatch;
import io.bitquan.flow.operators.commit.CommitmentPartition;
import io.bitquan.flow.operators.commit.CommitterProbe;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.ChainInput;
import io.bitquan.flow.operators.model.CommitPart;
import io.bitquan.flow.operators.prepare.TxPreparer;
import io.bitquan.flow.operators.sequencer.BlockSequencer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.operators.state.StateKeySerializer;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.array.BytePrimitiveArraySerializer;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The executor and the committer in operator harnesses, fed what the real upstream operators
 * produce for a generated chain, in adversarial arrival order: results equal ChainRunner's,
 * per-block buffers are empty afterwards, and a snapshot taken mid-way restores to the same end.
 */
class ExecutorCommitterHarnessTest {
    static final Fixtures CHAIN = new Fixtures(5, 12, 2);
    static final int BUCKETS = 3;

    /** START/REJECT units and PREPARED chunks, as sequencer + preparers produce them. */
    static List<BlockPart> executorInput() throws Exception {
        return executorInput(CHAIN);
    }

    static List<BlockPart> executorInput(Fixtures chain) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, ChainInput, BlockPart>(
                new KeyedProcessOperator<>(new BlockSequencer(chain.catalog, 4)), in -> in.chainId, Types.STRING);
        h.open();
        for (int i = 0; i < chain.events.size(); i++) {
            h.processElement(new StreamRecord<>(chain.input(i)));
        }
        List<BlockPart> parts = new ArrayList<>(h.extractOutputValues());
        for (StreamRecord<BlockPart> chunk : h.getSideOutput(BlockSequencer.CHUNKS)) {
            parts.add(TxPreparer.prepare(chunk.getValue(), chain.catalog.config(chain.chainId)));
        }
        h.close();
        // worst case for the executor: everything in reverse (chunks before their START, later units first)
        Collections.reverse(parts);
        return parts;
    }

    static BlockExecutor executor() {
        return new BlockExecutor(CHAIN.catalog, "block-stm", 2, ChainVm::new, BUCKETS, 100);
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, BlockPart, CommitPart> harness(BlockExecutor f) throws Exception {
        return harness(f, new HashMapStateBackend());
    }

    static KeyedOneInputStreamOperatorTestHarness<String, BlockPart, CommitPart> harness(BlockExecutor f, StateBackend backend)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), (BlockPart p) -> p.chainId, Types.STRING);
        h.setStateBackend(backend);
        h.setup();
        return h;
    }

    static StateBackend backend(String name) {
        return name.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, CommitPart, FeedBatch> committerHarness(BlockCommitter f)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), (CommitPart p) -> p.chainId, Types.STRING);
        h.setup();
        return h;
    }

    /** Summaries and deltas the committer receives, deltas first and everything reversed. */
    private static List<CommitPart> committerInput(KeyedOneInputStreamOperatorTestHarness<String, BlockPart, CommitPart> exec) {
        List<CommitPart> in = new ArrayList<>(exec.extractOutputValues());
        for (StreamRecord<CommitPart> keys : exec.getSideOutput(BlockExecutor.KEY_BATCHES)) {
            in.add(CommitmentPartition.delta(keys.getValue()));
        }
        Collections.reverse(in);
        return in;
    }

    /** Feeds {@code committerIn} to a fresh committer: its block results must be the chain's reference. */
    static void assertCommitsToReference(List<CommitPart> committerIn) throws Exception {
        var commit = committerHarness(new BlockCommitter(CHAIN.catalog, BUCKETS));
        commit.open();
        for (CommitPart p : committerIn) {
            commit.processElement(new StreamRecord<>(p));
        }
        assertThat(results(FeedBatch.records(commit.extractOutputValues()))).containsExactlyElementsOf(CHAIN.reference);
        commit.close();
    }

    static List<BlockResult> results(List<FeedRecord> feeds) {
        List<BlockResult> out = new ArrayList<>();
        for (FeedRecord f : feeds) {
            if (f.topic == Topic.BLOCK_RESULTS) {
                try {
                    out.add(AvroSingleObject.BLOCK_RESULT.decode(f.value));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    @Test
    void outOfOrderInputGivesTheReferenceResultsAndLeavesNoPerBlockState() throws Exception {
        BlockExecutor f = executor();
        var exec = harness(f);
        exec.open();
        for (BlockPart p : executorInput()) {
            exec.processElement(new StreamRecord<>(p));
        }
        assertThat(exec.extractOutputValues()).extracting(p -> p.seq)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, CHAIN.reference.size()).boxed().toList());
        exec.getOperator().setCurrentKey(CHAIN.chainId);
        assertThat(f.pendingEntries(CHAIN.chainId)).isZero();

        BlockCommitter c = new BlockCommitter(CHAIN.catalog, BUCKETS);
        var commit = committerHarness(c);
        commit.open();
        for (CommitPart p : committerInput(exec)) {
            commit.processElement(new StreamRecord<>(p));
        }
        assertThat(results(FeedBatch.records(commit.extractOutputValues()))).containsExactlyElementsOf(CHAIN.reference);
        commit.getOperator().setCurrentKey(CHAIN.chainId);
        assertThat(CommitterProbe.pendingEntries(c)).isZero();
        assertThat(FeedBatch.records(commit.extractOutputValues())).anyMatch(r -> r.topic == Topic.STATE_DIFFS).anyMatch(r -> r.topic == Topic.RECEIPTS);
        exec.close();
        commit.close();
    }

    /**
     * The friendly order (each unit, then its chunks): the last chunk of the next block completes it
     * on arrival and is used without being buffered; results and cleanup are the same.
     */
    @Test
    void inOrderInputCompletesBlocksOnTheLastChunk() throws Exception {
        List<BlockPart> input = new ArrayList<>(executorInput());
        input.sort(java.util.Comparator.comparingLong((BlockPart p) -> p.seq)
                .thenComparing(p -> p.kind == BlockPart.Kind.PREPARED));
        BlockExecutor f = executor();
        var exec = harness(f);
        exec.open();
        for (BlockPart p : input) {
            exec.processElement(new StreamRecord<>(p));
        }
        exec.getOperator().setCurrentKey(CHAIN.chainId);
        assertThat(f.pendingEntries(CHAIN.chainId)).isZero();
        assertCommitsToReference(committerInput(exec));
        exec.close();
    }

    @Test
    void aWrongExpectedRootInTheHeaderIsReportedAsDivergence() throws Exception {
        List<ChainEvent> events = new ArrayList<>(CHAIN.events);
        ChainEvent last = events.get(events.size() - 1);
        Block block = ((BlockConnected) last.getEvent()).getBlock();
        BlockHeader header = BlockHeader.newBuilder(block.getHeader()).setExpectedStateRoot(ByteBuffer.wrap(new byte[32])).build();
        events.set(events.size() - 1, ChainEvent.newBuilder().setEvent(
                BlockConnected.newBuilder().setBlock(Block.newBuilder(block).setHeader(header).build()).build()).build());
        Fixtures tampered = new Fixtures(CHAIN.genesis, events);
        assertThat(tampered.reference.get(events.size() - 1).getDivergence()).as("reference flags it too").isTrue();

        var exec = harness(new BlockExecutor(tampered.catalog, "sequential", 1, ChainVm::new, BUCKETS, 100));
        exec.open();
        for (BlockPart p : executorInput(tampered)) {
            exec.processElement(new StreamRecord<>(p));
        }
        var commit = committerHarness(new BlockCommitter(tampered.catalog, BUCKETS));
        commit.open();
        for (CommitPart p : committerInput(exec)) {
            commit.processElement(new StreamRecord<>(p));
        }
        List<BlockResult> results = results(FeedBatch.records(commit.extractOutputValues()));
        assertThat(results).containsExactlyElementsOf(tampered.reference);
        assertThat(results.get(results.size() - 1).getDivergence()).isTrue();
        assertThat(results.subList(0, results.size() - 1)).noneMatch(BlockResult::getDivergence);
        exec.close();
        commit.close();
    }

    @Test
    void disconnectingTheTipRevertsStateAndReconnectingAppliesItAgain() throws Exception {
        List<ChainEvent> events = new ArrayList<>(CHAIN.events);
        ChainEvent last = events.get(events.size() - 1);
        var header = ((BlockConnected) last.getEvent()).getBlock().getHeader();
        ByteBuffer id = ByteBuffer.wrap(io.bitquan.flow.model.chain.BlockHashes.headerId(header));
        ChainEvent disconnect = ChainEvent.newBuilder().setEvent(io.bitquan.flow.model.avro.BlockDisconnected.newBuilder()
                .setChainId(CHAIN.chainId).setHeight(header.getHeight()).setBlockId(id).build()).build();
        events.add(disconnect);
        events.add(disconnect); // no longer the tip: rejected
        events.add(last);       // applies again
        Fixtures reorg = new Fixtures(CHAIN.genesis, events);

        var exec = harness(new BlockExecutor(reorg.catalog, "sequential", 1, ChainVm::new, BUCKETS, 100));
        exec.open();
        for (BlockPart p : executorInput(reorg)) {
            exec.processElement(new StreamRecord<>(p));
        }
        var commit = committerHarness(new BlockCommitter(reorg.catalog, BUCKETS));
        commit.open();
        for (CommitPart p : committerInput(exec)) {
            commit.processElement(new StreamRecord<>(p));
        }
        List<BlockResult> results = results(FeedBatch.records(commit.extractOutputValues()));
        assertThat(results).containsExactlyElementsOf(reorg.reference);
        int n = results.size();
        assertThat(results.get(n - 3).getStateRoot()).as("disconnect restores the parent's root")
                .isEqualTo(results.get(n - 5).getStateRoot());
        assertThat(results.get(n - 2).getAccepted()).isFalse();
        assertThat(results.get(n - 1).getStateRoot()).isEqualTo(results.get(n - 4).getStateRoot());
        assertThat(FeedBatch.records(commit.extractOutputValues())).anyMatch(f -> f.topic == Topic.STATE_DIFFS && isReverted(f));
        exec.close();
        commit.close();
    }

    private static boolean isReverted(FeedRecord f) {
        try {
            return AvroSingleObject.STATE_DIFF.decode(f.value).getReverted();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void snapshotMidwayRestoresToTheSameResults() throws Exception {
        List<BlockPart> input = executorInput();
        int half = input.size() / 2;
        var first = harness(executor());
        first.open();
        for (BlockPart p : input.subList(0, half)) {
            first.processElement(new StreamRecord<>(p));
        }
        List<CommitPart> before = new ArrayList<>(first.extractOutputValues());
        List<StreamRecord<CommitPart>> keysBefore = new ArrayList<>(first.getSideOutput(BlockExecutor.KEY_BATCHES) == null
                ? List.of() : first.getSideOutput(BlockExecutor.KEY_BATCHES));
        OperatorSubtaskState snapshot = first.snapshot(1, 1);
        first.close();

        var exec = harness(executor());
        exec.initializeState(snapshot);
        exec.open();
        for (BlockPart p : input.subList(half, input.size())) {
            exec.processElement(new StreamRecord<>(p));
        }
        List<CommitPart> committerIn = new ArrayList<>(before);
        committerIn.addAll(exec.extractOutputValues());
        for (StreamRecord<CommitPart> k : keysBefore) {
            committerIn.add(CommitmentPartition.delta(k.getValue()));
        }
        for (StreamRecord<CommitPart> k : exec.getSideOutput(BlockExecutor.KEY_BATCHES)) {
            committerIn.add(CommitmentPartition.delta(k.getValue()));
        }
        exec.close();

        // the committer is interrupted by a snapshot/restore as well
        Collections.reverse(committerIn);
        int cut = committerIn.size() / 2;
        var c1 = committerHarness(new BlockCommitter(CHAIN.catalog, BUCKETS));
        c1.open();
        for (CommitPart p : committerIn.subList(0, cut)) {
            c1.processElement(new StreamRecord<>(p));
        }
        List<FeedRecord> feeds = new ArrayList<>(FeedBatch.records(c1.extractOutputValues()));
        OperatorSubtaskState committerSnapshot = c1.snapshot(2, 2);
        c1.close();
        var c2 = committerHarness(new BlockCommitter(CHAIN.catalog, BUCKETS));
        c2.initializeState(committerSnapshot);
        c2.open();
        for (CommitPart p : committerIn.subList(cut, committerIn.size())) {
            c2.processElement(new StreamRecord<>(p));
        }
        feeds.addAll(FeedBatch.records(c2.extractOutputValues()));
        c2.close();
        assertThat(results(feeds)).containsExactlyElementsOf(CHAIN.reference);
    }

    /**
     * Rewrites the executor's chain state into state VERSION 2's layout (hex-string keys in
     * {@code state-v1}, nothing in {@code state-v3}): what a snapshot taken before binary keys holds.
     */
    private static final class DowngradeToHexKeys extends KeyedProcessFunction<String, String, int[]> {
        private transient MapState<StateKey, byte[]> binary;
        private transient MapState<String, byte[]> hex;

        @Override
        public void open(OpenContext context) {
            binary = getRuntimeContext().getMapState(new MapStateDescriptor<>("state-v3",
                    StateKeySerializer.INSTANCE, BytePrimitiveArraySerializer.INSTANCE));
            hex = getRuntimeContext().getMapState(new MapStateDescriptor<>("state-v1", Types.STRING,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO));
        }

        @Override
        /** Emits {hex-keyed entries found, binary-keyed entries moved to hex keys}. */
        public void processElement(String chainId, Context ctx, Collector<int[]> out) throws Exception {
            int found = 0;
            for (String ignored : hex.keys()) {
                found++;
            }
            int n = 0;
            for (Map.Entry<StateKey, byte[]> e : binary.entries()) {
                hex.put(Bytes.hex(e.getKey().encodedUnsafe()), e.getValue());
                n++;
            }
            binary.clear();
            out.collect(new int[] {found, n});
        }
    }

    private static OperatorSubtaskState downgrade(OperatorSubtaskState snapshot, StateBackend backend, int[] moved) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new DowngradeToHexKeys()),
                (String k) -> k, Types.STRING);
        h.setStateBackend(backend);
        h.setup();
        h.initializeState(snapshot);
        h.open();
        h.processElement(new StreamRecord<>(CHAIN.chainId));
        int[] counts = h.extractOutputValues().get(0);
        moved[0] = counts[0];
        moved[1] = counts[1];
        OperatorSubtaskState out = h.snapshot(2, 2);
        h.close();
        return out;
    }

    /**
     * A snapshot whose chain state still has hex keys (state VERSION 2) restores: the executor moves
     * the entries to binary keys on the chain's first element and every result (roots included)
     * equals the reference, on both backends (RocksDB runs the key serializer for real).
     */
    @ParameterizedTest
    @ValueSource(strings = {"hashmap", "rocksdb"})
    void aSnapshotWithHexStateKeysRestoresIntoBinaryKeys(String backendName) throws Exception {
        List<BlockPart> input = executorInput();
        int half = input.size() / 2;
        var first = harness(executor(), backend(backendName));
        first.open();
        for (BlockPart p : input.subList(0, half)) {
            first.processElement(new StreamRecord<>(p));
        }
        List<CommitPart> committerIn = new ArrayList<>(first.extractOutputValues());
        List<StreamRecord<CommitPart>> keys = new ArrayList<>(first.getSideOutput(BlockExecutor.KEY_BATCHES) == null
                ? List.of() : first.getSideOutput(BlockExecutor.KEY_BATCHES));
        OperatorSubtaskState snapshot = first.snapshot(1, 1);
        first.close();

        int[] moved = new int[2];
        OperatorSubtaskState legacy = downgrade(snapshot, backend(backendName), moved);
        assertThat(moved[0]).as("nothing is written under hex keys any more").isZero();
        assertThat(moved[1]).as("the chain had state to migrate").isGreaterThan(0);

        var exec = harness(executor(), backend(backendName));
        exec.initializeState(legacy);
        exec.open();
        for (BlockPart p : input.subList(half, input.size())) {
            exec.processElement(new StreamRecord<>(p));
        }
        committerIn.addAll(exec.extractOutputValues());
        if (exec.getSideOutput(BlockExecutor.KEY_BATCHES) != null) {
            keys.addAll(exec.getSideOutput(BlockExecutor.KEY_BATCHES));
        }
        OperatorSubtaskState after = exec.snapshot(3, 3);
        exec.close();
        for (StreamRecord<CommitPart> k : keys) {
            committerIn.add(CommitmentPartition.delta(k.getValue()));
        }
        assertCommitsToReference(committerIn);

        int[] movedAgain = new int[2];
        downgrade(after, backend(backendName), movedAgain);
        assertThat(movedAgain[0]).as("the migration left no hex-keyed entry").isZero();
        assertThat(movedAgain[1]).as("all state lives under binary keys after the migration").isGreaterThan(0);
    }
}
