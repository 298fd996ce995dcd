package io.bitquan.flow.model.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.crypto.KeyPair;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Real signatures of both schemes through {@link SignatureRules#check}: a valid transaction
 * passes, one flipped signature bit is {@code signature-invalid} with the same message as before,
 * whether the field is a buffer of its own or a slice of a larger array, and nothing is modified.
 */
class SignatureRulesTest {
    private static final String CHAIN = "test";

    private static KeyPair key(SignatureScheme scheme, int n) {
        byte[] seed = new byte[32];
        seed[0] = (byte) n;
        return scheme.keyPairFromSeed(seed);
    }

    /** The field as a slice at an offset of a larger array, or as a buffer of exactly its bytes. */
    private static ByteBuffer field(byte[] bytes, boolean slice) {
        if (!slice) {
            return ByteBuffer.wrap(bytes.clone());
        }
        byte[] larger = new byte[bytes.length + 20];
        System.arraycopy(bytes, 0, larger, 7, bytes.length);
        return ByteBuffer.wrap(larger, 7, bytes.length).slice();
    }

    private static Transaction transfer(KeyPair k, boolean corrupt, boolean slice) {
        AccountTransfer t = AccountTransfer.newBuilder().setSender(ByteBuffer.wrap(k.address()))
                .setPublicKey(field(k.publicKey(), slice)).setRecipient(ByteBuffer.wrap(new byte[32])).setAmount(5).setFee(1)
                .setNonce(0).setSignature(ByteBuffer.allocate(0)).build();
        Transaction tx = new Transaction(t);
        byte[] signature = k.sign(TxCodec.sighash(CHAIN, TxCodec.txId(tx)));
        if (corrupt) {
            signature[signature.length / 2] ^= 1;
        }
        t.setSignature(field(signature, slice));
        return tx;
    }

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void accountTransferVerdicts(SignatureScheme scheme) {
        KeyPair k = key(scheme, 1);
        for (boolean slice : new boolean[] {false, true}) {
            assertThat(SignatureRules.check(PreparedTx.of(3, transfer(k, false, slice)), CHAIN, scheme)).isNull();
            Transaction bad = transfer(k, true, slice);
            byte[] before = TxCodec.encode(bad, true);
            RuleViolation v = SignatureRules.check(PreparedTx.of(3, bad), CHAIN, scheme);
            assertThat(v).isNotNull();
            assertThat(v.rule()).isEqualTo(Rule.SIGNATURE_INVALID);
            assertThat(v.getMessage()).isEqualTo("tx 3 sender signature does not verify");
            assertThat(TxCodec.encode(bad, true)).as("nothing modified").isEqualTo(before);
            // another chain's sighash: the same valid signature does not verify there
            assertThat(SignatureRules.check(PreparedTx.of(3, transfer(k, false, slice)), "other", scheme)).isNotNull();
        }
    }

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void utxoReportsTheFirstBadInput(SignatureScheme scheme) {
        KeyPair a = key(scheme, 2);
        KeyPair b = key(scheme, 3);
        List<TxInput> inputs = new ArrayList<>();
        for (KeyPair k : List.of(a, b)) {
            inputs.add(TxInput.newBuilder().setPrevTxId(ByteBuffer.wrap(new byte[32])).setPrevIndex(inputs.size())
                    .setPublicKey(field(k.publicKey(), inputs.size() == 1)).setSignature(ByteBuffer.allocate(0)).build());
        }
        Transaction tx = new Transaction(UtxoTransfer.newBuilder().setInputs(inputs)
                .setOutputs(List.of(TxOutput.newBuilder().setAmount(1).setLock(ByteBuffer.wrap(new byte[32])).build())).build());
        byte[] sighash = TxCodec.sighash(CHAIN, TxCodec.txId(tx));
        inputs.get(0).setSignature(ByteBuffer.wrap(a.sign(TxCodec.inputMessage(sighash, 0))));
        byte[] second = b.sign(TxCodec.inputMessage(sighash, 1));
        inputs.get(1).setSignature(field(second, true));
        assertThat(SignatureRules.check(PreparedTx.of(9, tx), CHAIN, scheme)).isNull();
        byte[] corrupt = Arrays.copyOf(second, second.length);
        corrupt[0] ^= 0x40;
        inputs.get(1).setSignature(field(corrupt, true));
        RuleViolation v = SignatureRules.check(PreparedTx.of(9, tx), CHAIN, scheme);
        assertThat(v.rule()).isEqualTo(Rule.SIGNATURE_INVALID);
        assertThat(v.getMessage()).isEqualTo("tx 9 input 1 signature does not verify");
    }
}
