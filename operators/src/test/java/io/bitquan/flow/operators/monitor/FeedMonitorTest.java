package io.bitquan.flow.operators.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.operators.model.FeedBatch;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.ChainInput;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.flink.streaming.api.operators.co.CoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.TwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The progress metrics of {@link FeedMonitor}, and that it passes every feed record unchanged. */
class FeedMonitorTest {

    @Test
    void sourceTipReadsChainAndHeightOfBothEventKinds() {
        ChainEvent disconnect = new ChainEvent(new BlockDisconnected("c1", 7L, ByteBuffer.wrap(new byte[32])));
        SourceTip tip = SourceTip.of(new ChainInput("c1", 0, 3, AvroBinary.encode(disconnect)));
        assertThat(tip.chainId).isEqualTo("c1");
        assertThat(tip.height).isEqualTo(7);
        ChainEvent connect = new ChainGenerator(new GeneratorOptions(1, 1, 2, Workload.MIXED, 5, 0, SignatureScheme.ED25519)).generateAll().get(0);
        BlockConnected c = (BlockConnected) connect.getEvent();
        SourceTip fromBlock = SourceTip.of(new ChainInput("x", 0, 0, AvroBinary.encode(connect)));
        assertThat(fromBlock.chainId).isEqualTo(c.getBlock().getHeader().getChainId());
        assertThat(fromBlock.height).isEqualTo(c.getBlock().getHeader().getHeight());
        // as the decoder hands it on: the record's value, the body behind its single-object header
        byte[] record = io.bitquan.flow.kafka.serde.AvroSingleObject.CHAIN_EVENT.encode(connect);
        int at = io.bitquan.flow.kafka.serde.AvroSingleObject.CHAIN_EVENT.currentBodyOffset(record);
        assertThat(at).isPositive();
        SourceTip inPlace = SourceTip.of(new ChainInput("x", 0, 0, record, at));
        assertThat(inPlace.chainId).isEqualTo(fromBlock.chainId);
        assertThat(inPlace.height).isEqualTo(fromBlock.height);
    }

    @Test
    void progressTracksTipBlocksBehindDivergencesAndLatency() {
        ChainProgress p = new ChainProgress();
        assertThat(p.blocksBehind()).isZero();
        p.read(1, 1_000_000);
        p.read(2, 2_000_000);
        p.read(3, 3_000_000);
        assertThat(p.sourceHeight()).isEqualTo(3);
        assertThat(p.blocksBehind()).isEqualTo(4); // nothing answered yet: heights 0..3 outstanding from -1
        p.result(1, true, false, 6_000_000);
        assertThat(p.tipHeight()).isEqualTo(1);
        assertThat(p.blocksBehind()).isEqualTo(2);
        assertThat(p.lastBlockLatencyMillis()).isEqualTo(5.0);
        p.result(2, false, true, 10_000_000); // rejected, and diverging from the expected root
        assertThat(p.tipHeight()).isEqualTo(1);
        assertThat(p.divergences()).isEqualTo(1);
        assertThat(p.lastBlockLatencyMillis()).isEqualTo(8.0);
        p.result(3, true, false, 11_000_000);
        assertThat(p.blocksBehind()).isZero();
        assertThat(p.tipHeight()).isEqualTo(3);
        p.deadLetter();
        assertThat(p.deadLetters()).isEqualTo(1);
    }

    @Test
    void pendingReadTimesAreBounded() {
        ChainProgress p = new ChainProgress();
        for (long h = 0; h < ChainProgress.MAX_PENDING + 50; h++) {
            p.read(h, h);
        }
        p.result(0, true, false, 100); // its read time was dropped: latency stays unknown
        assertThat(p.lastBlockLatencyMillis()).isEqualTo(-1.0);
        p.result(ChainProgress.MAX_PENDING + 49, true, false, ChainProgress.MAX_PENDING + 49 + 2_000_000L);
        assertThat(p.lastBlockLatencyMillis()).isEqualTo(2.0);
    }

    @Test
    void recordsPassThroughUnchangedAndInOrder() throws Exception {
        FeedMonitor monitor = new FeedMonitor();
        try (TwoInputStreamOperatorTestHarness<FeedBatch, SourceTip, FeedRecord> h =
                     new TwoInputStreamOperatorTestHarness<>(new CoProcessOperator<>(monitor))) {
            h.open();
            h.processElement2(new StreamRecord<>(new SourceTip("c1", 1)));
            BlockResult r = BlockResult.newBuilder().setChainId("c1").setHeight(1).setBlockId(ByteBuffer.wrap(new byte[32]))
                    .setAccepted(true).setStateRoot(ByteBuffer.wrap(new byte[32])).setTxCount(0).setFees(0)
                    .setDivergence(false).build();
            FeedRecord result = new FeedRecord(Topic.BLOCK_RESULTS, "c1", AvroSingleObject.BLOCK_RESULT.encode(r));
            FeedRecord diff = new FeedRecord(Topic.STATE_DIFFS, "c1", new byte[] {1, 2, 3});
            FeedRecord letter = new FeedRecord(Topic.DEAD_LETTER, null, new byte[] {9});
            h.processElement1(new StreamRecord<>(new FeedBatch.Builder("c1", 16).add(diff.topic, diff.value)
                    .add(result.topic, result.value).build()));
            h.processElement1(new StreamRecord<>(FeedBatch.of(letter)));
            List<FeedRecord> out = h.extractOutputValues();
            assertThat(out).usingRecursiveFieldByFieldElementComparator().containsExactly(diff, result, letter);
            assertThat(monitor.chain("c1").tipHeight()).isEqualTo(1);
            assertThat(monitor.chain("c1").blocksBehind()).isZero();
            assertThat(monitor.chain(FeedMonitor.UNKNOWN_CHAIN).deadLetters()).isEqualTo(1);
            monitor.notifyCheckpointComplete(1);
        }
    }
}
