package io.bitquan.flow.execution.testing;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.avro.GenesisAccount;
import io.bitquan.flow.model.avro.GenesisUtxo;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.KeyPair;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A hand-built chain for rule tests: 8 Ed25519 keys, each owning one genesis UTXO of
 * {@link #COIN} and an account of {@link #BALANCE}; blocks are built on the runner's tip with
 * a correct tx root, so each test breaks exactly the rule it means to.
 */
public final class TestChain {
    public static final long COIN = 1_000_000;
    public static final long BALANCE = 1_000_000;
    public static final int KEYS = 8;
    public static final int MAX_TXS = 10;
    public static final SignatureScheme SCHEME = SignatureScheme.ED25519;

    public final KeyPair[] keys = new KeyPair[KEYS];
    public final Genesis genesis;
    public final ChainConfig config;
    public final InMemoryStateStore store = new InMemoryStateStore();
    public final ChainRunner runner;

    public TestChain() {
        this(g -> {}, new SequentialEngine(new ChainVm()));
    }

    /** @param extraGenesis adds genesis entries before the chain starts */
    public TestChain(Consumer<List<GenesisUtxo>> extraGenesis, ExecutionEngine engine) {
        List<GenesisUtxo> utxos = new ArrayList<>();
        List<GenesisAccount> accounts = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) (i + 1);
            keys[i] = SCHEME.keyPairFromSeed(seed);
            utxos.add(GenesisUtxo.newBuilder().setTxId(Bytes.wrap(genesisTxId(i))).setIndex(0).setAmount(COIN)
                    .setLock(Bytes.wrap(keys[i].address())).build());
            accounts.add(GenesisAccount.newBuilder().setAddress(Bytes.wrap(keys[i].address())).setBalance(BALANCE).build());
        }
        extraGenesis.accept(utxos);
        genesis = Genesis.newBuilder().setChainId("test-chain").setSignatureScheme(SCHEME.id()).setCoinbaseMaturity(100)
                .setInitialSubsidy(5_000).setHalvingInterval(1_000).setMaxBlockTransactions(MAX_TXS)
                .setGenesisTimestamp(0).setUtxos(utxos).setAccounts(accounts).build();
        config = new ChainConfig(genesis);
        runner = new ChainRunner(config, store, engine, new BlockPreparer(null));
    }

    public static byte[] genesisTxId(int i) {
        return Blake3.hash(new byte[] {'g', (byte) i});
    }

    public long nextHeight() {
        return runner.tipHeight() + 1;
    }

    public static TxOutput out(long amount, byte[] lock) {
        return TxOutput.newBuilder().setAmount(amount).setLock(Bytes.wrap(lock)).build();
    }

    public TxOutput outTo(int key, long amount) {
        return out(amount, keys[key].address());
    }

    /** An input spending (txId, index) presented with key {@code signer}. */
    public record Spend(byte[] txId, int index, int signer) {}

    public Transaction spend(List<Spend> spends, List<TxOutput> outputs) {
        List<TxInput> inputs = new ArrayList<>();
        for (Spend s : spends) {
            inputs.add(TxInput.newBuilder().setPrevTxId(Bytes.wrap(s.txId())).setPrevIndex(s.index())
                    .setPublicKey(Bytes.wrap(keys[s.signer()].publicKey())).setSignature(ByteBuffer.wrap(new byte[0])).build());
        }
        Transaction tx = new Transaction(UtxoTransfer.newBuilder().setInputs(inputs).setOutputs(new ArrayList<>(outputs)).build());
        byte[] sighash = TxCodec.sighash(config.chainId(), TxCodec.txId(tx));
        for (int i = 0; i < spends.size(); i++) {
            inputs.get(i).setSignature(Bytes.wrap(keys[spends.get(i).signer()].sign(TxCodec.inputMessage(sighash, i))));
        }
        return tx;
    }

    /** Key {@code owner} spends its genesis coin into the outputs. */
    public Transaction spendGenesis(int owner, TxOutput... outputs) {
        return spend(List.of(new Spend(genesisTxId(owner), 0, owner)), List.of(outputs));
    }

    public Transaction transfer(int from, byte[] to, long amount, long fee, long nonce) {
        return transfer(from, keys[from], to, amount, fee, nonce);
    }

    /** A transfer from account {@code from} presented with (and signed by) {@code signer}. */
    public Transaction transfer(int from, KeyPair signer, byte[] to, long amount, long fee, long nonce) {
        AccountTransfer body = AccountTransfer.newBuilder().setSender(Bytes.wrap(keys[from].address()))
                .setPublicKey(Bytes.wrap(signer.publicKey())).setRecipient(Bytes.wrap(to)).setAmount(amount).setFee(fee)
                .setNonce(nonce).setSignature(ByteBuffer.wrap(new byte[0])).build();
        Transaction tx = new Transaction(body);
        body.setSignature(Bytes.wrap(signer.sign(TxCodec.sighash(config.chainId(), TxCodec.txId(tx)))));
        return tx;
    }

    public static Transaction coinbase(long height, long amount, byte[] lock) {
        return new Transaction(Coinbase.newBuilder().setHeight(height).setOutputs(List.of(out(amount, lock))).build());
    }

    /** A coinbase at the next height claiming {@code amount} for key 0. */
    public Transaction coinbase(long amount) {
        return coinbase(nextHeight(), amount, keys[0].address());
    }

    public long subsidy() {
        return config.subsidy(nextHeight());
    }

    /** A block on the tip: the given transactions in order (the caller includes the coinbase). */
    public Block block(List<Transaction> txs) {
        return block(nextHeight(), runner.tipId(), txs);
    }

    public Block block(long height, byte[] parent, List<Transaction> txs) {
        List<byte[]> hashes = new ArrayList<>();
        for (Transaction tx : txs) {
            hashes.add(TxCodec.txHash(tx));
        }
        BlockHeader header = BlockHeader.newBuilder().setChainId(config.chainId()).setHeight(height)
                .setParentHash(Bytes.wrap(parent)).setTimestamp(height * 60).setTxRoot(Bytes.wrap(BlockHashes.txRoot(hashes)))
                .setExpectedStateRoot(null).build();
        return Block.newBuilder().setHeader(header).setTransactions(new ArrayList<>(txs)).build();
    }

    /** A block on the tip with a coinbase claiming exactly subsidy + {@code fees}, then {@code txs}. */
    public Block blockWithFees(long fees, Transaction... txs) {
        List<Transaction> all = new ArrayList<>();
        all.add(coinbase(subsidy() + fees));
        all.addAll(List.of(txs));
        return block(all);
    }

    public BlockReport apply(Block block) {
        return runner.connect(block);
    }
}
