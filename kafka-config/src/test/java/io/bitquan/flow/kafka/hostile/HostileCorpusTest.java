package io.bitquan.flow.kafka.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every kind of the corpus ends where it says: a decode failure, or a block rejected by its rule. */
class HostileCorpusTest {
    static final ChainConfig CONFIG = new ChainConfig(Genesis.newBuilder().setChainId("hostile").setSignatureScheme("ed25519")
            .setInitialSubsidy(50).setHalvingInterval(100).setMaxBlockTransactions(10).setGenesisTimestamp(0)
            .setUtxos(List.of()).setAccounts(List.of()).build());
    static final HostileCorpus CORPUS = new HostileCorpus(RecordLimits.DEFAULT, CONFIG.maxBlockTransactions());

    /** A structurally valid block: coinbase + one Ed25519 UTXO spend, tx root computed. */
    static Block template() {
        Transaction coinbase = new Transaction(Coinbase.newBuilder().setHeight(1)
                .setOutputs(List.of(TxOutput.newBuilder().setAmount(50).setLock(ByteBuffer.wrap(new byte[32])).build())).build());
        Transaction spend = new Transaction(UtxoTransfer.newBuilder()
                .setInputs(List.of(TxInput.newBuilder().setPrevTxId(ByteBuffer.wrap(new byte[32])).setPrevIndex(0)
                        .setPublicKey(ByteBuffer.wrap(new byte[32])).setSignature(ByteBuffer.wrap(new byte[64])).build()))
                .setOutputs(List.of(TxOutput.newBuilder().setAmount(5).setLock(ByteBuffer.wrap(new byte[32])).build())).build());
        List<Transaction> txs = List.of(coinbase, spend);
        List<byte[]> hashes = new ArrayList<>();
        for (Transaction tx : txs) {
            hashes.add(TxCodec.txHash(tx));
        }
        BlockHeader header = BlockHeader.newBuilder().setChainId("hostile").setHeight(1).setParentHash(ByteBuffer.wrap(CONFIG.genesisId()))
                .setTimestamp(1).setTxRoot(ByteBuffer.wrap(BlockHashes.txRoot(hashes))).setExpectedStateRoot(null).build();
        return Block.newBuilder().setHeader(header).setTransactions(new ArrayList<>(txs)).build();
    }

    static RuleViolation structure(Block block) {
        List<PreparedTx> txs = new ArrayList<>();
        for (int i = 0; i < block.getTransactions().size(); i++) {
            txs.add(PreparedTx.of(i, block.getTransactions().get(i)));
        }
        return BlockRules.checkStructure(block, txs, CONFIG);
    }

    @Test
    void theTemplateIsWellFormed() {
        assertThat(structure(template())).isNull();
    }

    @ParameterizedTest
    @EnumSource(HostileKind.class)
    void eachKindEndsWhereItSays(HostileKind kind) throws Exception {
        Block next = template();
        HostileRecord record = CORPUS.make(kind, next, 7);
        assertThat(record.kind()).isEqualTo(kind);
        assertThat(record.key()).isEqualTo("hostile");
        if (kind.deadLetter()) {
            assertThatThrownBy(() -> AvroSingleObject.CHAIN_EVENT.decode(record.value())).isInstanceOf(IOException.class);
            return;
        }
        ChainEvent event = AvroSingleObject.CHAIN_EVENT.decode(record.value());
        Block block = ((BlockConnected) event.getEvent()).getBlock();
        assertThat(block.getHeader().getHeight()).isEqualTo(next.getHeader().getHeight());
        assertThat(block.getHeader().getParentHash()).isEqualTo(next.getHeader().getParentHash());
        assertThat(BlockHashes.headerId(block.getHeader())).as("a sibling, not a duplicate")
                .isNotEqualTo(BlockHashes.headerId(next.getHeader()));
        if (kind == HostileKind.MALFORMED_FIELDS) {
            assertThat(BlockRules.checkCaps(block, CONFIG)).isNull();
            assertThat(structure(block).rule()).isEqualTo(kind.rejectedWith());
        } else {
            // caught by the caps, before any transaction is hashed (hashing 16 MiB is seconds)
            assertThat(BlockRules.checkCaps(block, CONFIG).rule()).isEqualTo(kind.rejectedWith());
        }
    }

    @Test
    void theCorpusIsDeterministic() {
        Block next = template();
        List<HostileRecord> a = CORPUS.all(next, 3);
        List<HostileRecord> b = CORPUS.all(next, 3);
        assertThat(a).extracting(HostileRecord::kind).containsExactly(HostileKind.values());
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).value()).as(a.get(i).kind().name()).isEqualTo(b.get(i).value());
        }
    }
}
