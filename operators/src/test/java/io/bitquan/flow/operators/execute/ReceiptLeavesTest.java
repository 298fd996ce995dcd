package io.bitquan.flow.operators.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.Receipts;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.operators.model.Blobs;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The leaves packed in one pass are, byte for byte, the old path's {@code Blobs.pack} of one
 * {@code Receipts.leaf} per transaction, and each leaf is the receipts root's reference encoding
 * ({@code BlockHashes.encodeReceipt} of the receipt record).
 */
class ReceiptLeavesTest {
    @Provide
    Arbitrary<List<TxOutcome>> outcomes() {
        Arbitrary<String> status = Arbitraries.oneOf(Arbitraries.of("ok", "reverted", "out-of-gas"),
                Arbitraries.strings().ofMaxLength(12)); // any text, multi-byte UTF-8 too
        Arbitrary<List<byte[]>> events = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).list().ofMaxSize(4);
        Arbitrary<TxOutcome> outcome = Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE),
                        Arbitraries.longs().between(0, 1_000_000), Arbitraries.of(true, false), status, events)
                .as(TxOutcome::new);
        return outcome.list().ofMinSize(0).ofMaxSize(30);
    }

    @Property(tries = 300)
    void packedInOnePassEqualsTheOldPack(@ForAll("outcomes") List<TxOutcome> outcomes) {
        List<PreparedTx> txs = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            byte[] id = new byte[32];
            id[0] = (byte) i;
            id[31] = (byte) (i * 7);
            txs.add(new PreparedTx(i, null, id, id));
        }
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < txs.size(); i++) {
            leaves.add(Receipts.leaf(i, txs.get(i).txId(), outcomes.get(i)));
        }
        byte[] packed = ReceiptLeaves.pack(txs, outcomes);
        assertThat(packed).isEqualTo(Blobs.pack(leaves));

        BlockHeader header = BlockHeader.newBuilder().setChainId("c").setHeight(3).setParentHash(Bytes.wrap(new byte[32]))
                .setTxRoot(Bytes.wrap(new byte[32])).setTimestamp(1).build();
        List<Receipt> receipts = Receipts.of(header, txs, outcomes);
        List<byte[]> unpacked = Blobs.unpack(packed);
        for (int i = 0; i < receipts.size(); i++) {
            assertThat(unpacked.get(i)).isEqualTo(BlockHashes.encodeReceipt(receipts.get(i)));
        }
    }
}
