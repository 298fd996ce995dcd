package io.bitquan.flow.execution.rules;

import static io.bitquan.flow.execution.testing.TestChain.COIN;
import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.testing.TestChain;
import io.bitquan.flow.execution.testing.TestChain.Spend;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.GenesisUtxo;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.UtxoEntry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Every consensus rule with a passing and a failing case. A failing case must reject the block
 * with exactly that rule and leave the store byte-identical, the root and the tip unchanged.
 */
class ConsensusRulesTest {
    private TestChain chain;

    @BeforeEach
    void setUp() {
        chain = new TestChain();
    }

    private BlockReport accepted(Block block) {
        BlockReport report = chain.apply(block);
        assertThat(report.accepted()).as("accepted, but got %s", report.violation()).isTrue();
        return report;
    }

    private void rejected(Block block, Rule rule) {
        List<String> before = dump(chain.store);
        byte[] root = chain.runner.stateRoot();
        long tip = chain.runner.tipHeight();
        BlockReport report = chain.apply(block);
        assertThat(report.accepted()).as("expected rejection by %s", rule.id()).isFalse();
        assertThat(report.violation().rule()).as(report.violation().getMessage()).isEqualTo(rule);
        assertThat(report.line()).isEqualTo("block " + block.getHeader().getHeight() + " rejected rule=" + rule.id());
        assertThat(dump(chain.store)).as("store unchanged").isEqualTo(before);
        assertThat(chain.runner.stateRoot()).isEqualTo(root);
        assertThat(chain.runner.tipHeight()).isEqualTo(tip);
        assertThat(report.stateRoot()).isEqualTo(root);
    }

    /** The whole store as sorted "key=value" hex lines: byte-identical comparison. */
    static List<String> dump(io.bitquan.flow.model.state.InMemoryStateStore store) {
        List<String> lines = new ArrayList<>();
        for (byte[][] entry : store.canonicalEntries()) {
            lines.add(Bytes.hex(entry[0]) + "=" + Bytes.hex(entry[1]));
        }
        return lines;
    }

    private byte[] addr(int key) {
        return chain.keys[key].address();
    }

    @Nested
    class Structure {
        @Test
        void chainIdMustMatch() {
            Block block = chain.blockWithFees(0);
            block.getHeader().setChainId("other");
            rejected(block, Rule.HEADER_CHAIN_ID);
        }

        @Test
        void heightMustExtendTheTip() {
            rejected(chain.block(5, chain.runner.tipId(), List.of(chain.coinbase(chain.subsidy()))), Rule.HEADER_HEIGHT);
            accepted(chain.blockWithFees(0));
        }

        @Test
        void parentMustBeTheTip() {
            rejected(chain.block(1, new byte[32], List.of(chain.coinbase(chain.subsidy()))), Rule.HEADER_PARENT);
        }

        @Test
        void blockMustNotBeEmpty() {
            rejected(chain.block(List.of()), Rule.BLOCK_EMPTY);
        }

        @Test
        void blockSizeIsLimited() {
            List<Transaction> txs = new ArrayList<>();
            txs.add(chain.coinbase(chain.subsidy() + 8 * 10));
            for (int k = 0; k < TestChain.KEYS; k++) {
                txs.add(chain.spendGenesis(k, chain.outTo(k, COIN - 10)));
            }
            accepted(chain.block(txs)); // 9 txs: within the limit of 10
            List<Transaction> tooMany = new ArrayList<>();
            tooMany.add(chain.coinbase(chain.subsidy() + 10 * 10));
            for (int i = 0; i < TestChain.MAX_TXS; i++) {
                tooMany.add(chain.transfer(1, addr(2), 1, 10, i));
            }
            rejected(chain.block(tooMany), Rule.BLOCK_TOO_LARGE);
        }

        @Test
        void txRootMustMatch() {
            Block block = chain.blockWithFees(0);
            block.getHeader().setTxRoot(ByteBuffer.wrap(new byte[32]));
            rejected(block, Rule.TX_ROOT_MISMATCH);
        }

        @Test
        void firstTransactionMustBeACoinbase() {
            rejected(chain.block(List.of(chain.transfer(1, addr(2), 5, 1, 0))), Rule.COINBASE_MISSING);
        }

        @Test
        void onlyTheFirstTransactionMayBeACoinbase() {
            rejected(chain.block(List.of(chain.coinbase(1), chain.coinbase(1))), Rule.COINBASE_NOT_FIRST);
        }

        @Test
        void coinbaseCarriesTheBlockHeight() {
            rejected(chain.block(List.of(TestChain.coinbase(7, 1, addr(0)))), Rule.COINBASE_HEIGHT);
        }
    }

    @Nested
    class Coinbase {
        @Test
        void mayClaimExactlySubsidyPlusFees() {
            BlockReport report = accepted(chain.blockWithFees(30, chain.transfer(1, addr(2), 5, 30, 0)));
            assertThat(report.fees()).isEqualTo(30);
        }

        @Test
        void mayNotClaimMore() {
            rejected(chain.block(List.of(chain.coinbase(chain.subsidy() + 31), chain.transfer(1, addr(2), 5, 30, 0))),
                    Rule.COINBASE_OVERCLAIM);
        }

        @Test
        void outputsMatureAfterOneHundredBlocks() {
            Transaction cb = chain.coinbase(chain.subsidy());
            accepted(chain.block(List.of(cb)));
            byte[] cbId = TxCodec.txId(cb);
            // Spending at height 2..100 is premature (created at 1, maturity 100).
            for (int i = 0; i < 98; i++) {
                accepted(chain.blockWithFees(0));
            }
            assertThat(chain.nextHeight()).isEqualTo(100);
            Transaction spend = chain.spend(List.of(new Spend(cbId, 0, 0)), List.of(chain.outTo(0, 100)));
            rejected(chain.blockWithFees(chain.subsidy() - 100 + 0, spend), Rule.UTXO_IMMATURE_COINBASE);
            accepted(chain.blockWithFees(0));
            assertThat(chain.nextHeight()).isEqualTo(101);
            accepted(chain.blockWithFees(config().subsidy(1) - 100, spend));
        }

        private ChainConfig config() {
            return chain.config;
        }
    }

    @Nested
    class Signatures {
        @Test
        void everySignatureMustVerify() {
            Transaction good = chain.spendGenesis(1, chain.outTo(2, COIN - 5));
            Transaction bad = chain.spendGenesis(1, chain.outTo(2, COIN - 5));
            ByteBuffer sig = ((io.bitquan.flow.model.avro.UtxoTransfer) bad.getBody()).getInputs().get(0).getSignature();
            sig.put(3, (byte) (sig.get(3) ^ 1));
            rejected(chain.blockWithFees(5, bad), Rule.SIGNATURE_INVALID);
            accepted(chain.blockWithFees(5, good));
        }

        @Test
        void accountSignatureMustVerify() {
            Transaction tx = chain.transfer(1, addr(2), 5, 1, 0);
            ((io.bitquan.flow.model.avro.AccountTransfer) tx.getBody()).setAmount(6); // signed amount was 5
            rejected(chain.blockWithFees(1, tx), Rule.SIGNATURE_INVALID);
        }
    }

    @Nested
    class Utxo {
        @Test
        void spendsAndCreatesOutputs() {
            Transaction tx = chain.spendGenesis(1, chain.outTo(2, 600_000), chain.outTo(3, 399_000));
            accepted(chain.blockWithFees(1_000, tx));
            assertThat(chain.store.read(StateKey.utxo(TestChain.genesisTxId(1), 0))).isNull();
            UtxoEntry created = (UtxoEntry) chain.store.read(StateKey.utxo(TxCodec.txId(tx), 1));
            assertThat(created.amount()).isEqualTo(399_000);
            assertThat(created.lock()).isEqualTo(addr(3));
            assertThat(created.height()).isEqualTo(1);
        }

        @Test
        void mayNotBeEmpty() {
            rejected(chain.blockWithFees(0, chain.spend(List.of(), List.of(chain.outTo(1, 1)))), Rule.UTXO_EMPTY);
            rejected(chain.blockWithFees(0, chain.spendGenesis(1)), Rule.UTXO_EMPTY);
        }

        @Test
        void inputsMustBeDistinct() {
            Spend s = new Spend(TestChain.genesisTxId(1), 0, 1);
            rejected(chain.blockWithFees(0, chain.spend(List.of(s, s), List.of(chain.outTo(1, 10)))), Rule.UTXO_DUPLICATE_INPUT);
        }

        @Test
        void inputsMustExist() {
            rejected(chain.blockWithFees(0, chain.spend(List.of(new Spend(new byte[32], 0, 1)), List.of(chain.outTo(1, 10)))),
                    Rule.UTXO_MISSING);
        }

        @Test
        void anOutputCanBeSpentOnceInABlock() {
            Transaction first = chain.spendGenesis(1, chain.outTo(2, COIN - 10));
            Transaction second = chain.spendGenesis(1, chain.outTo(3, COIN - 20));
            rejected(chain.blockWithFees(30, first, second), Rule.UTXO_MISSING);
        }

        @Test
        void outputsCreatedEarlierInTheBlockAreSpendable() {
            Transaction first = chain.spendGenesis(1, chain.outTo(2, COIN - 10));
            Transaction second = chain.spend(List.of(new Spend(TxCodec.txId(first), 0, 2)), List.of(chain.outTo(3, COIN - 20)));
            accepted(chain.blockWithFees(20, first, second));
            assertThat(chain.store.read(StateKey.utxo(TxCodec.txId(first), 0))).isNull();
            assertThat(chain.store.read(StateKey.utxo(TxCodec.txId(second), 0))).isNotNull();
        }

        @Test
        void butNotBeforeTheyAreCreated() {
            Transaction first = chain.spendGenesis(1, chain.outTo(2, COIN - 10));
            Transaction second = chain.spend(List.of(new Spend(TxCodec.txId(first), 0, 2)), List.of(chain.outTo(3, COIN - 20)));
            rejected(chain.blockWithFees(20, second, first), Rule.UTXO_MISSING);
        }

        @Test
        void keyMustMatchTheLock() {
            rejected(chain.blockWithFees(0, chain.spend(List.of(new Spend(TestChain.genesisTxId(1), 0, 2)),
                    List.of(chain.outTo(2, 10)))), Rule.UTXO_LOCK_MISMATCH);
        }

        @Test
        void outputsMayNotExceedInputs() {
            rejected(chain.blockWithFees(0, chain.spendGenesis(1, chain.outTo(2, COIN + 1))), Rule.UTXO_OVERSPEND);
            accepted(chain.blockWithFees(0, chain.spendGenesis(1, chain.outTo(2, COIN))));
        }

        @Test
        void amountsMustBeInRange() {
            rejected(chain.blockWithFees(0, chain.spendGenesis(1, chain.outTo(2, -1))), Rule.AMOUNT_RANGE);
            rejected(chain.blockWithFees(0, chain.spendGenesis(1, chain.outTo(2, ChainConfig.MAX_MONEY + 1))), Rule.AMOUNT_RANGE);
            rejected(chain.blockWithFees(0, chain.spendGenesis(1, chain.outTo(2, ChainConfig.MAX_MONEY), chain.outTo(2, 1))),
                    Rule.AMOUNT_RANGE);
        }

        @Test
        void locksMustBeWellFormed() {
            rejected(chain.blockWithFees(0, chain.spendGenesis(1, TestChain.out(10, new byte[31]))), Rule.TX_MALFORMED);
        }

        @Test
        void outputsNeverOverwriteUnspentOnes() {
            // Plant a genesis UTXO exactly where a planned transaction's output 0 will go (BIP30).
            TestChain probe = new TestChain();
            Transaction planned = probe.spendGenesis(1, probe.outTo(2, 10));
            byte[] collidingTxId = TxCodec.txId(planned);
            chain = new TestChain(utxos -> utxos.add(GenesisUtxo.newBuilder().setTxId(Bytes.wrap(collidingTxId))
                    .setIndex(0).setAmount(5).setLock(Bytes.wrap(probe.keys[3].address())).build()),
                    new SequentialEngine(new ChainVm()));
            rejected(chain.blockWithFees(0, chain.spendGenesis(1, chain.outTo(2, 10))), Rule.UTXO_OUTPUT_EXISTS);
        }
    }

    @Nested
    class Accounts {
        @Test
        void transferMovesBalanceAndBumpsNonce() {
            accepted(chain.blockWithFees(3, chain.transfer(1, addr(2), 100, 3, 0)));
            assertThat(chain.store.read(StateKey.account(addr(1)))).isEqualTo(new AccountState(TestChain.BALANCE - 103, 1));
            assertThat(chain.store.read(StateKey.account(addr(2)))).isEqualTo(new AccountState(TestChain.BALANCE + 100, 0));
        }

        @Test
        void newRecipientsAreCreated() {
            byte[] fresh = new byte[32];
            fresh[5] = 9;
            accepted(chain.blockWithFees(0, chain.transfer(1, fresh, 7, 0, 0)));
            assertThat(chain.store.read(StateKey.account(fresh))).isEqualTo(new AccountState(7, 0));
        }

        @Test
        void keyMustHashToTheSender() {
            rejected(chain.blockWithFees(1, chain.transfer(1, chain.keys[2], addr(3), 5, 1, 0)), Rule.ACCOUNT_KEY_MISMATCH);
        }

        @Test
        void nonceMustBeTheNextOne() {
            rejected(chain.blockWithFees(1, chain.transfer(1, addr(2), 5, 1, 1)), Rule.ACCOUNT_BAD_NONCE);
            accepted(chain.blockWithFees(2, chain.transfer(1, addr(2), 5, 1, 0), chain.transfer(1, addr(2), 5, 1, 1)));
            rejected(chain.blockWithFees(1, chain.transfer(1, addr(2), 5, 1, 1)), Rule.ACCOUNT_BAD_NONCE);
        }

        @Test
        void balanceMustCoverAmountPlusFee() {
            rejected(chain.blockWithFees(1, chain.transfer(1, addr(2), TestChain.BALANCE, 1, 0)), Rule.ACCOUNT_INSUFFICIENT_BALANCE);
            accepted(chain.blockWithFees(1, chain.transfer(1, addr(2), TestChain.BALANCE - 1, 1, 0)));
        }

        @Test
        void amountsMustBeInRange() {
            rejected(chain.blockWithFees(0, chain.transfer(1, addr(2), -5, 0, 0)), Rule.AMOUNT_RANGE);
        }

        @Test
        void recipientMustBeAnAddress() {
            rejected(chain.blockWithFees(0, chain.transfer(1, new byte[20], 5, 0, 0)), Rule.TX_MALFORMED);
        }
    }

    @Nested
    class Contracts {
        @Test
        void areRejectedWithoutARuntime() {
            ContractCall call = ContractCall.newBuilder().setSender(Bytes.wrap(addr(1))).setPublicKey(Bytes.wrap(chain.keys[1].publicKey()))
                    .setContract(Bytes.wrap(new byte[32])).setMethod("m").setArgs(ByteBuffer.wrap(new byte[0])).setValue(0)
                    .setGasLimit(1000).setFee(1).setNonce(0).setSignature(ByteBuffer.wrap(new byte[0])).build();
            Transaction tx = new Transaction(call);
            call.setSignature(Bytes.wrap(chain.keys[1].sign(TxCodec.sighash(chain.config.chainId(), TxCodec.txId(tx)))));
            rejected(chain.blockWithFees(1, tx), Rule.CONTRACTS_DISABLED);
        }
    }

    @Nested
    class Disconnects {
        @Test
        void tipDisconnectRestoresTheParentState() {
            byte[] genesisRoot = chain.runner.stateRoot();
            List<String> genesisState = dump(chain.store);
            BlockReport one = accepted(chain.blockWithFees(3, chain.transfer(1, addr(2), 100, 3, 0),
                    chain.spendGenesis(3, chain.outTo(4, COIN))));
            BlockReport undone = chain.runner.disconnect(BlockDisconnected.newBuilder().setChainId("test-chain").setHeight(1)
                    .setBlockId(Bytes.wrap(one.headerId())).build());
            assertThat(undone.accepted()).isTrue();
            assertThat(undone.stateRoot()).isEqualTo(genesisRoot);
            assertThat(dump(chain.store)).isEqualTo(genesisState);
            assertThat(chain.runner.tipHeight()).isZero();
            accepted(chain.blockWithFees(0));
        }

        @Test
        void onlyTheTipCanBeDisconnected() {
            accepted(chain.blockWithFees(0));
            BlockReport report = chain.runner.disconnect(BlockDisconnected.newBuilder().setChainId("test-chain").setHeight(1)
                    .setBlockId(Bytes.wrap(new byte[32])).build());
            assertThat(report.accepted()).isFalse();
            assertThat(report.violation().rule()).isEqualTo(Rule.DISCONNECT_NOT_TIP);
        }
    }
}
