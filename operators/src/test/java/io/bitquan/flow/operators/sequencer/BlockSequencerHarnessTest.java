package io.bitquan.flow.operators.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.operators.Fixtures;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.ChainInput;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The sequencer numbers and splits; it decides nothing about the chain (that is the executor's core). */
class BlockSequencerHarnessTest {
    private static final Fixtures CHAIN = new Fixtures(4, 12, 0);

    private static KeyedOneInputStreamOperatorTestHarness<String, ChainInput, BlockPart> harness(BlockSequencer f)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(f), in -> in.chainId, Types.STRING);
        h.setup();
        return h;
    }

    private static BlockSequencer sequencer() {
        return new BlockSequencer(CHAIN.catalog, 5);
    }

    private static List<BlockPart> units(KeyedOneInputStreamOperatorTestHarness<String, ChainInput, BlockPart> h) {
        return h.extractOutputValues();
    }

    @Test
    void forwardsInOrderWithSequenceNumbersAndSplitsIntoChunks() throws Exception {
        var h = harness(sequencer());
        h.open();
        h.processElement(new StreamRecord<>(CHAIN.input(0)));
        h.processElement(new StreamRecord<>(CHAIN.input(1)));
        assertThat(units(h)).extracting(p -> p.kind, p -> p.seq, p -> p.height)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BlockPart.Kind.START, 0L, 1L),
                        org.assertj.core.groups.Tuple.tuple(BlockPart.Kind.START, 1L, 2L));
        BlockPart start = units(h).get(0);
        assertThat(start.txCount).isEqualTo(13);
        assertThat(start.chunkCount).isEqualTo(3);
        var chunks = h.getSideOutput(BlockSequencer.CHUNKS).stream().map(StreamRecord::getValue).toList();
        assertThat(chunks).filteredOn(c -> c.seq == 0).extracting(c -> c.firstTx).containsExactly(0, 5, 10);
        h.close();
    }

    @Test
    void repeatsAndOutOfOrderBlocksAreForwardedForTheChainCoreToDecide() throws Exception {
        var h = harness(sequencer());
        h.open();
        h.processElement(new StreamRecord<>(CHAIN.input(2)));
        h.processElement(new StreamRecord<>(CHAIN.input(0)));
        h.processElement(new StreamRecord<>(CHAIN.input(0)));
        assertThat(units(h)).extracting(p -> p.height + "@" + p.seq).containsExactly("3@0", "1@1", "1@2");
        h.close();
    }

    @Test
    void snapshotAndRestoreKeepTheSequence() throws Exception {
        var h = harness(sequencer());
        h.open();
        h.processElement(new StreamRecord<>(CHAIN.input(0)));
        h.processElement(new StreamRecord<>(CHAIN.input(2)));
        OperatorSubtaskState snapshot = h.snapshot(1, 1);
        h.close();

        var restored = harness(sequencer());
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(new StreamRecord<>(CHAIN.input(1)));
        assertThat(units(restored).stream().map(p -> p.height + "@" + p.seq).collect(Collectors.toList()))
                .containsExactly("2@2");
        restored.close();
    }

    @Test
    void chunksGrowWithTheBlockUpToTheLimitNeverBelowTheSmallestSize() {
        BlockSequencer fixed = new BlockSequencer(CHAIN.catalog, 50);
        BlockSequencer capped = new BlockSequencer(CHAIN.catalog, 50, 4);
        assertThat(fixed.chunkSizeFor(501)).isEqualTo(50);
        assertThat(capped.chunkSizeFor(501)).isEqualTo(126); // 4 chunks: 126, 126, 126, 123
        assertThat(capped.chunkSizeFor(120)).isEqualTo(50); // never below the smallest chunk
        assertThat(capped.chunkSizeFor(1)).isEqualTo(50);
        for (int n = 1; n <= 2_000; n++) {
            int size = capped.chunkSizeFor(n);
            int chunks = (n + size - 1) / size;
            // at most the limit, and never more chunks than the fixed size would give
            assertThat(chunks).as("%d txs", n).isPositive().isLessThanOrEqualTo(4).isLessThanOrEqualTo((n + 49) / 50);
        }
    }
}
