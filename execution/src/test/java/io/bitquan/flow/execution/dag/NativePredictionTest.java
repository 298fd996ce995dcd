package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.analysis.DependencyAnalyzer;
import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.rules.PreparedTx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The native fast path gives exactly the general path's prediction (access set, then de-duplication). */
class NativePredictionTest {

    private static void assertSameAsTheGeneralPath(PreparedTx tx, String what) {
        AccessDag.Prediction fast = NativePrediction.of(tx);
        AccessDag.Prediction general = AccessDag.distinct(DependencyAnalyzer.accessSet(tx));
        assertThat(fast).as(what).isNotNull();
        assertThat(fast.keys()).as(what).containsExactly(general.keys());
        assertThat(fast.writes()).as(what).containsExactly(general.writes());
        // the claim the write-set sort trusts without reading the keys: each key after
        // ascendingFrom is greater than the one before it
        assertThat(fast.ascendingFrom()).as(what).isBetween(0, fast.keys().length);
        for (int j = fast.ascendingFrom() + 1; j < fast.keys().length; j++) {
            assertThat(fast.keys()[j - 1].compareTo(fast.keys()[j])).as(what + " key " + j).isNegative();
        }
    }

    @Test
    void everyGeneratedNativeTransactionIsPredictedAsByTheGeneralPath() {
        for (Workload w : Workload.values()) {
            for (int accounts : new int[] {2, 1000}) {
                List<PreparedTx> txs = BlockFixtures.firstBlock(GeneratorOptions.of(41, 1, 300, w).withAccounts(accounts)).txs();
                for (PreparedTx tx : txs) {
                    assertSameAsTheGeneralPath(tx, w + " over " + accounts + " tx " + tx.index());
                }
            }
        }
    }

    private static ByteBuffer filled(int length, int b) {
        byte[] a = new byte[length];
        Arrays.fill(a, (byte) b);
        return ByteBuffer.wrap(a);
    }

    private static PreparedTx transfer(ByteBuffer sender, ByteBuffer recipient) {
        return PreparedTx.of(1, new Transaction(AccountTransfer.newBuilder().setSender(sender).setPublicKey(filled(32, 0))
                .setRecipient(recipient).setAmount(5).setFee(1).setNonce(0).setSignature(filled(64, 0)).build()));
    }

    private static TxInput input(ByteBuffer prev, int index) {
        return TxInput.newBuilder().setPrevTxId(prev).setPrevIndex(index).setPublicKey(filled(32, 0)).setSignature(filled(64, 0)).build();
    }

    /** Hostile and odd shapes: a self-transfer, an input named twice, a malformed input or address. */
    @Test
    void oddShapesAgreeOrAreLeftToTheGeneralPath() {
        assertSameAsTheGeneralPath(transfer(filled(32, 1), filled(32, 1)), "self-transfer");
        assertThat(NativePrediction.of(transfer(filled(32, 1), filled(32, 1))).keys()).hasSize(1);
        assertSameAsTheGeneralPath(transfer(filled(32, 1), filled(32, 2)), "transfer");
        assertThat(NativePrediction.of(transfer(filled(31, 1), filled(32, 2)))).as("short sender").isNull();

        List<TxInput> inputs = new ArrayList<>(List.of(input(filled(32, 7), 0), input(filled(32, 7), 0),
                input(filled(32, 7), 1), input(filled(12, 7), 0)));
        UtxoTransfer spend = UtxoTransfer.newBuilder().setInputs(inputs)
                .setOutputs(new ArrayList<>(List.of(io.bitquan.flow.model.avro.TxOutput.newBuilder().setAmount(1)
                        .setLock(filled(32, 3)).build()))).build();
        PreparedTx hostile = PreparedTx.of(2, new Transaction(spend));
        assertSameAsTheGeneralPath(hostile, "input named twice, one malformed");
        assertThat(NativePrediction.of(hostile).keys()).hasSize(3); // two distinct inputs + one output
        assertThat(NativePrediction.of(new PreparedTx(3, hostile.tx(), new byte[5], hostile.txHash())))
                .as("an id of the wrong length: left to the general path").isNull();
    }

    @Test
    void aSpendOfItsOwnOutputKeepsTheAscendingClaimTrue() {
        List<io.bitquan.flow.model.avro.TxOutput> outputs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            outputs.add(io.bitquan.flow.model.avro.TxOutput.newBuilder().setAmount(1).setLock(filled(32, 3)).build());
        }
        PreparedTx probe = PreparedTx.of(4, new Transaction(UtxoTransfer.newBuilder()
                .setInputs(new ArrayList<>(List.of(input(filled(32, 9), 0)))).setOutputs(outputs).build()));
        // the same transaction spending its own output 2 (its id does not depend on the inputs' order here: any id serves)
        ByteBuffer ownId = ByteBuffer.wrap(probe.txId());
        UtxoTransfer selfSpend = UtxoTransfer.newBuilder().setInputs(new ArrayList<>(List.of(input(ownId, 2), input(filled(32, 9), 0))))
                .setOutputs(outputs).build();
        PreparedTx tx = new PreparedTx(4, new Transaction(selfSpend), probe.txId(), probe.txHash());
        assertSameAsTheGeneralPath(tx, "spends its own output 2");
        AccessDag.Prediction p = NativePrediction.of(tx);
        assertThat(p.keys()).hasSize(5); // two inputs, outputs 0, 1, 3 (2 is the first input)
        assertThat(p.ascendingFrom()).isEqualTo(2);
    }
}
