package io.bitquan.flow.jobs.reorg;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.avro.BlockResult;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** When periodic savepoints are due: accepted connects at multiples of N, each height once. */
class SavepointSchedulerTest {

    private static BlockResult result(long height, boolean accepted, boolean disconnected) {
        return BlockResult.newBuilder().setChainId("c").setHeight(height).setBlockId(ByteBuffer.wrap(new byte[32]))
                .setAccepted(accepted).setStateRoot(ByteBuffer.wrap(new byte[32])).setTxCount(1).setFees(0)
                .setDisconnected(disconnected).build();
    }

    @Test
    void dueOnlyForAcceptedConnectsAtAMultipleAboveTheLastSavepoint() {
        assertThat(SavepointScheduler.due(result(10, true, false), 5, 5)).isTrue();
        assertThat(SavepointScheduler.due(result(11, true, false), 5, 5)).isFalse();
        assertThat(SavepointScheduler.due(result(10, false, false), 5, 5)).as("rejected").isFalse();
        assertThat(SavepointScheduler.due(result(10, true, true), 5, 5)).as("a disconnect").isFalse();
        assertThat(SavepointScheduler.due(result(10, true, false), 5, 10)).as("already saved at 10 (reorg back)").isFalse();
    }
}
