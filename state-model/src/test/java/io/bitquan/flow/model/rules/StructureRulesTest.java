package io.bitquan.flow.model.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each structural rule and cap, with a passing and a failing case (docs/RULES.md). */
class StructureRulesTest {
    private static final ChainConfig ED = config(SignatureScheme.ED25519, 100);

    static ChainConfig config(SignatureScheme scheme, int maxTxs) {
        return new ChainConfig(Genesis.newBuilder().setChainId("test").setSignatureScheme(scheme.id())
                .setInitialSubsidy(50).setHalvingInterval(100).setMaxBlockTransactions(maxTxs).setGenesisTimestamp(0)
                .setUtxos(List.of()).setAccounts(List.of()).build());
    }

    static ByteBuffer bytes(int n) {
        return ByteBuffer.wrap(new byte[n]);
    }

    static TxInput input(SignatureScheme s) {
        return TxInput.newBuilder().setPrevTxId(bytes(32)).setPrevIndex(0).setPublicKey(bytes(s.publicKeyBytes()))
                .setSignature(bytes(s.signatureBytes())).build();
    }

    static TxOutput output() {
        return TxOutput.newBuilder().setAmount(1).setLock(bytes(32)).build();
    }

    static Transaction utxo(SignatureScheme s, Consumer<UtxoTransfer> edit) {
        UtxoTransfer t = UtxoTransfer.newBuilder().setInputs(new ArrayList<>(List.of(input(s))))
                .setOutputs(new ArrayList<>(List.of(output()))).build();
        edit.accept(t);
        return new Transaction(t);
    }

    static Transaction transfer(Consumer<AccountTransfer> edit) {
        AccountTransfer t = AccountTransfer.newBuilder().setSender(bytes(32)).setPublicKey(bytes(32)).setRecipient(bytes(32))
                .setAmount(5).setFee(1).setNonce(0).setSignature(bytes(64)).build();
        edit.accept(t);
        return new Transaction(t);
    }

    static Transaction call(Consumer<ContractCall> edit) {
        ContractCall t = ContractCall.newBuilder().setSender(bytes(32)).setPublicKey(bytes(32)).setContract(bytes(32))
                .setMethod("transfer").setArgs(bytes(0)).setValue(0).setGasLimit(1000).setFee(1).setNonce(0)
                .setAccessList(null).setSignature(bytes(64)).build();
        edit.accept(t);
        return new Transaction(t);
    }

    static Rule rule(Transaction tx) {
        RuleViolation v = StructureRules.checkTransaction(tx, 1, ED);
        return v == null ? null : v.rule();
    }

    @Nested
    class Utxo {
        @ParameterizedTest
        @EnumSource(SignatureScheme.class)
        void wellFormedPassesForEveryScheme(SignatureScheme scheme) {
            assertThat(StructureRules.checkTransaction(utxo(scheme, t -> {}), 1, config(scheme, 10))).isNull();
        }

        @Test
        void prevTxIdMustBe32Bytes() {
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getInputs().get(0).setPrevTxId(bytes(31)))))
                    .isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getInputs().get(0).setPrevTxId(bytes(0)))))
                    .isEqualTo(Rule.TX_MALFORMED);
        }

        @Test
        void prevIndexMustNotBeNegative() {
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getInputs().get(0).setPrevIndex(-1)))).isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getInputs().get(0).setPrevIndex(Integer.MAX_VALUE)))).isNull();
        }

        @Test
        void keysAndSignaturesHaveTheSchemesLength() {
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getInputs().get(0).setPublicKey(bytes(33)))))
                    .isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getInputs().get(0).setSignature(bytes(3309)))))
                    .as("an ML-DSA signature on an Ed25519 chain").isEqualTo(Rule.TX_MALFORMED);
        }

        @Test
        void locksAre32BytesAndAmountsInRange() {
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getOutputs().get(0).setLock(bytes(20))))).isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getOutputs().get(0).setAmount(-1)))).isEqualTo(Rule.AMOUNT_RANGE);
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getOutputs().get(0).setAmount(ChainConfig.MAX_MONEY + 1))))
                    .isEqualTo(Rule.AMOUNT_RANGE);
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.getOutputs().get(0).setAmount(ChainConfig.MAX_MONEY)))).isNull();
            // the message is part of the verdict (receipts, feeds): built only for a violation, unchanged
            assertThat(StructureRules.checkTransaction(utxo(SignatureScheme.ED25519, t -> t.getOutputs().get(0).setAmount(-7)), 1, ED)
                    .getMessage()).isEqualTo("tx 1 output 0 amount -7 outside [0, MAX_MONEY]");
        }

        @Test
        void inputAndOutputCountsAreCapped() {
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.setOutputs(Collections.nCopies(BlockLimits.MAX_TX_OUTPUTS, output())))))
                    .isNull();
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.setOutputs(Collections.nCopies(BlockLimits.MAX_TX_OUTPUTS + 1, output())))))
                    .isEqualTo(Rule.TX_MALFORMED);
            TxInput in = input(SignatureScheme.ED25519);
            assertThat(rule(utxo(SignatureScheme.ED25519, t -> t.setInputs(Collections.nCopies(BlockLimits.MAX_TX_INPUTS + 1, in)))))
                    .isEqualTo(Rule.TX_MALFORMED);
        }
    }

    @Nested
    class Accounts {
        @Test
        void wellFormedPasses() {
            assertThat(rule(transfer(t -> {}))).isNull();
        }

        @Test
        void addressesKeysAndSignaturesHaveFixedLengths() {
            assertThat(rule(transfer(t -> t.setSender(bytes(31))))).isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(transfer(t -> t.setRecipient(bytes(33))))).isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(transfer(t -> t.setPublicKey(bytes(0))))).isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(transfer(t -> t.setSignature(bytes(63))))).isEqualTo(Rule.TX_MALFORMED);
        }

        @Test
        void amountAndFeeInRange() {
            assertThat(rule(transfer(t -> t.setAmount(-5)))).isEqualTo(Rule.AMOUNT_RANGE);
            assertThat(rule(transfer(t -> t.setFee(Long.MIN_VALUE)))).isEqualTo(Rule.AMOUNT_RANGE);
        }
    }

    @Nested
    class Contracts {
        @Test
        void wellFormedCallAndDeployPass() {
            assertThat(rule(call(t -> {}))).isNull();
            assertThat(rule(call(t -> t.setAccessList(List.of(ByteBuffer.wrap(StateKey.account(new byte[32]).encoded())))))).isNull();
            Transaction deploy = new Transaction(ContractDeploy.newBuilder().setSender(bytes(32)).setPublicKey(bytes(32))
                    .setCode(bytes(10)).setConstructorArgs(bytes(0)).setGasLimit(10).setFee(1).setNonce(0)
                    .setSignature(bytes(64)).build());
            assertThat(rule(deploy)).isNull();
        }

        @Test
        void contractAddressMethodValueAndAccessListAreChecked() {
            assertThat(rule(call(t -> t.setContract(bytes(5))))).isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(call(t -> t.setMethod("m".repeat(BlockLimits.MAX_METHOD_CHARS + 1))))).isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(call(t -> t.setValue(-1)))).isEqualTo(Rule.AMOUNT_RANGE);
            assertThat(rule(call(t -> t.setAccessList(List.of(bytes(7)))))).isEqualTo(Rule.TX_MALFORMED);
            assertThat(rule(call(t -> t.setAccessList(Collections.nCopies(BlockLimits.MAX_ACCESS_LIST + 1,
                    ByteBuffer.wrap(StateKey.account(new byte[32]).encoded())))))).isEqualTo(Rule.TX_MALFORMED);
        }

        @Test
        void deploySignerIsChecked() {
            Transaction deploy = new Transaction(ContractDeploy.newBuilder().setSender(bytes(32)).setPublicKey(bytes(32))
                    .setCode(bytes(10)).setConstructorArgs(bytes(0)).setGasLimit(10).setFee(1).setNonce(0)
                    .setSignature(bytes(1)).build());
            assertThat(rule(deploy)).isEqualTo(Rule.TX_MALFORMED);
        }
    }

    @Nested
    class Header {
        BlockHeader header() {
            return BlockHeader.newBuilder().setChainId("test").setHeight(1).setParentHash(bytes(32)).setTimestamp(0)
                    .setTxRoot(bytes(32)).setExpectedStateRoot(null).build();
        }

        @Test
        void hashesAre32BytesAndTheChainIdIsBounded() {
            assertThat(StructureRules.checkHeader(header())).isNull();
            BlockHeader h = header();
            h.setExpectedStateRoot(bytes(32));
            assertThat(StructureRules.checkHeader(h)).isNull();
            h.setExpectedStateRoot(bytes(2));
            assertThat(StructureRules.checkHeader(h).rule()).isEqualTo(Rule.HEADER_MALFORMED);
            h = header();
            h.setTxRoot(bytes(64));
            assertThat(StructureRules.checkHeader(h).rule()).isEqualTo(Rule.HEADER_MALFORMED);
            h = header();
            h.setParentHash(bytes(0));
            assertThat(StructureRules.checkHeader(h).rule()).isEqualTo(Rule.HEADER_MALFORMED);
            h = header();
            h.setChainId("c".repeat(BlockLimits.MAX_CHAIN_ID_CHARS + 1));
            assertThat(StructureRules.checkHeader(h).rule()).isEqualTo(Rule.HEADER_MALFORMED);
        }
    }

    @Nested
    class Caps {
        Block block(int txs, int outputsEach) {
            List<Transaction> list = new ArrayList<>();
            list.add(new Transaction(Coinbase.newBuilder().setHeight(1).setOutputs(Collections.nCopies(outputsEach, output())).build()));
            for (int i = 1; i < txs; i++) {
                list.add(transfer(t -> {}));
            }
            return Block.newBuilder().setHeader(new Header().header()).setTransactions(list).build();
        }

        @Test
        void transactionCountIsCapped() {
            ChainConfig three = config(SignatureScheme.ED25519, 3);
            assertThat(BlockRules.checkCaps(block(3, 1), three)).isNull();
            assertThat(BlockRules.checkCaps(block(4, 1), three).rule()).isEqualTo(Rule.BLOCK_TOO_LARGE);
            assertThat(BlockRules.checkCaps(Block.newBuilder().setHeader(new Header().header()).setTransactions(List.of()).build(),
                    three).rule()).isEqualTo(Rule.BLOCK_EMPTY);
        }

        @Test
        void encodedSizeIsCapped() {
            // A coinbase output is 1 (amount) + 1 (length) + 32 (lock) bytes of Avro binary.
            Block small = block(1, 10);
            long size = BlockLimits.encodedSize(small);
            assertThat(size).as("outputs + header (~80 bytes)").isBetween(10L * 34, 10L * 34 + 128);
            assertThat(BlockRules.checkCaps(small, ED)).isNull();
            int outputs = BlockLimits.MAX_BLOCK_BYTES / 34 + 1;
            RuleViolation v = BlockRules.checkCaps(block(1, outputs), ED);
            assertThat(v.rule()).isEqualTo(Rule.BLOCK_TOO_LARGE);
            assertThat(v.getMessage()).contains("bytes");
        }

        @Test
        void theChainIdIsCheckedFirst() {
            BlockHeader other = new Header().header();
            other.setChainId("other");
            Block b = Block.newBuilder().setHeader(other).setTransactions(List.of()).build();
            assertThat(BlockRules.checkCaps(b, ED).rule()).isEqualTo(Rule.HEADER_CHAIN_ID);
        }
    }
}
