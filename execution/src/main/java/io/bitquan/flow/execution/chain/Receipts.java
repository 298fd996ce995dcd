package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.TxOutcome;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Receipts of an accepted block, one per transaction in block order (what the receipts root hashes). */
public final class Receipts {
    private Receipts() {}

    public static List<Receipt> of(BlockHeader header, List<PreparedTx> txs, List<TxOutcome> outcomes) {
        List<Receipt> receipts = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            TxOutcome o = outcomes.get(i);
            List<ByteBuffer> events = new ArrayList<>(o.events().size());
            for (byte[] event : o.events()) {
                events.add(Bytes.wrap(event));
            }
            receipts.add(Receipt.newBuilder()
                    .setChainId(header.getChainId()).setHeight(header.getHeight()).setTxIndex(i)
                    .setTxId(Bytes.wrap(txs.get(i).txId())).setSuccess(o.success()).setStatus(o.status())
                    .setFee(o.fee()).setGasUsed(o.gasUsed()).setEvents(events).build());
        }
        return receipts;
    }
}
