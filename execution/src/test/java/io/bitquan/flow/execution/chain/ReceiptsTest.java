package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.TxOutcome;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Receipts built without the Avro builder are the records the builder makes (so the receipts root is unchanged). */
class ReceiptsTest {
    @Test
    void sameRecordsAsTheBuilder() {
        BlockHeader header = BlockHeader.newBuilder().setChainId("c").setHeight(7).setParentHash(Bytes.wrap(new byte[32]))
                .setTxRoot(Bytes.wrap(new byte[32])).setTimestamp(1).build();
        byte[] id0 = new byte[32];
        byte[] id1 = new byte[32];
        id1[0] = 1;
        List<PreparedTx> txs = List.of(new PreparedTx(0, null, id0, id0), new PreparedTx(1, null, id1, id1));
        List<TxOutcome> outcomes = List.of(TxOutcome.ok(5), new TxOutcome(3, 40, false, "reverted", List.of(new byte[] {1, 2})));

        List<Receipt> built = Receipts.of(header, txs, outcomes);
        for (int i = 0; i < 2; i++) {
            TxOutcome o = outcomes.get(i);
            Receipt expected = Receipt.newBuilder().setChainId("c").setHeight(7).setTxIndex(i).setTxId(ByteBuffer.wrap(txs.get(i).txId()))
                    .setSuccess(o.success()).setStatus(o.status()).setFee(o.fee()).setGasUsed(o.gasUsed())
                    .setEvents(o.events().stream().map(ByteBuffer::wrap).toList()).build();
            assertThat(built.get(i)).isEqualTo(expected);
        }
        assertThat(BlockHashes.receiptsRoot(built)).isNotNull();
    }
}
