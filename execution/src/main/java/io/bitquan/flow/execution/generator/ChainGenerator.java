package io.bitquan.flow.execution.generator;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
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
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.KeyPair;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Deterministic chain generator: the same {@link GeneratorOptions} give a byte-identical genesis
 * and event stream on every machine (SplitMix64, StrictMath, deterministic signatures, no hash
 * map iteration, no clock). Transactions are valid by construction; with {@code invalidEvery}
 * an invalid variant of every K-th block is emitted first at the same height, without changing
 * the valid chain; with {@code reorgEvery} a side branch is connected and disconnected again
 * before every K-th block, also without changing the valid chain.
 *
 * <p>Keys: 0 is the miner, 1 is a spare key used only by invalid variants, users start at 2.
 */
public final class ChainGenerator implements GeneratedChain {
    public static final String CHAIN_ID = "bitquan-devnet";
    public static final long GENESIS_TIMESTAMP = 1_700_000_000L;
    public static final long BLOCK_INTERVAL_SECONDS = 60;
    static final int MINER = 0;
    static final int SPARE = 1;
    static final int FIRST_USER = 2;
    static final int UTXO_OWNERS = 32;
    static final int SPARE_UTXOS = 4;
    static final long ACCOUNT_BALANCE = 100_000_000_000L;
    static final long GENESIS_UTXO_AMOUNT = 1_000_000_000L;
    static final long INITIAL_SUBSIDY = 5_000_000_000L;
    /** Splitting below this would leave outputs too small to pay fees later. */
    private static final long MIN_SPLIT = 10_000;

    private final GeneratorOptions options;
    private final KeyPool keys;
    private final Genesis genesis;
    private final ChainConfig config;
    private final Prng prng;
    private final Zipf zipf;
    private final Deque<Coin> wallet = new ArrayDeque<>();
    private final long[] nonces;
    private final long[] balances;
    private final List<Coin> spareCoins = new ArrayList<>();
    private final List<InvalidVariant> invalidVariants = new ArrayList<>();

    /** An invalid variant that was emitted: at which height, of which kind. */
    public record InvalidVariant(long height, InvalidKind kind) {}

    public ChainGenerator(GeneratorOptions options) {
        this.options = options;
        this.keys = KeyPool.load(options.scheme(), options.seed(), FIRST_USER + Math.max(options.accounts(), UTXO_OWNERS));
        this.prng = new Prng(options.seed() ^ 0x6269747175616EL);
        this.zipf = new Zipf(options.accounts(), 1.0);
        this.nonces = new long[keys.size()];
        this.balances = new long[keys.size()];
        this.genesis = buildGenesis();
        this.config = new ChainConfig(genesis);
    }

    @Override
    public Genesis genesis() {
        return genesis;
    }

    @Override
    public ChainConfig config() {
        return config;
    }

    public KeyPool keys() {
        return keys;
    }

    /** Invalid variants emitted so far, in order. */
    public List<InvalidVariant> invalidVariants() {
        return List.copyOf(invalidVariants);
    }

    private Genesis buildGenesis() {
        List<GenesisUtxo> utxos = new ArrayList<>();
        int count = options.workload() == Workload.TRANSFER ? 0 : options.txsPerBlock();
        for (int i = 0; i < count + SPARE_UTXOS; i++) {
            byte[] txId = Blake3.hash("bitquan/genesis-utxo".getBytes(StandardCharsets.US_ASCII),
                    new CanonicalWriter(4).i32(i).toByteArray());
            boolean spare = i >= count;
            int owner = spare ? SPARE : FIRST_USER + (i % UTXO_OWNERS);
            Coin coin = new Coin(txId, 0, GENESIS_UTXO_AMOUNT, owner);
            (spare ? spareCoins : wallet).add(coin);
            utxos.add(GenesisUtxo.newBuilder().setTxId(Bytes.wrap(txId)).setIndex(0)
                    .setAmount(GENESIS_UTXO_AMOUNT).setLock(Bytes.wrap(keys.address(owner))).build());
        }
        List<GenesisAccount> accounts = new ArrayList<>();
        for (int k = SPARE; k < FIRST_USER + options.accounts(); k++) {
            balances[k] = ACCOUNT_BALANCE;
            accounts.add(GenesisAccount.newBuilder().setAddress(Bytes.wrap(keys.address(k))).setBalance(ACCOUNT_BALANCE).build());
        }
        return genesisTemplate(options.scheme(), options.txsPerBlock()).setUtxos(utxos).setAccounts(accounts).build();
    }

    /**
     * The devnet consensus parameters every generated chain shares (chain id, scheme, maturity,
     * subsidy schedule, block size limit, genesis time); callers add the genesis entries.
     */
    public static Genesis.Builder genesisTemplate(SignatureScheme scheme, int txsPerBlock) {
        return Genesis.newBuilder()
                .setChainId(CHAIN_ID)
                .setSignatureScheme(scheme.id())
                .setCoinbaseMaturity(100)
                .setInitialSubsidy(INITIAL_SUBSIDY)
                .setHalvingInterval(210_000)
                .setMaxBlockTransactions(Math.max(100_000, txsPerBlock + 8))
                .setGenesisTimestamp(GENESIS_TIMESTAMP);
    }

    /** Generates the whole chain into {@code sink}, in order. */
    @Override
    public void generate(Consumer<ChainEvent> sink, ProgressListener progress) {
        byte[] parent = config.genesisId();
        for (long height = 1; height <= options.blocks(); height++) {
            List<Draft> drafts = new ArrayList<>(options.txsPerBlock());
            List<Coin> created = new ArrayList<>();
            long fees = buildTransactions(drafts, created);
            Draft coinbase = coinbase(height, fees);
            if (options.reorgEvery() > 0 && height % options.reorgEvery() == 0) {
                sideBranch(height, parent, sink);
            }
            if (options.invalidEvery() > 0 && height % options.invalidEvery() == 0) {
                InvalidKind kind = InvalidKind.values()[(int) ((height / options.invalidEvery() - 1) % InvalidKind.values().length)];
                List<Draft> invalid = new ArrayList<>(drafts);
                invalid.addAll(InvalidVariants.build(kind, coinbase, spareCoins, keys));
                sink.accept(connected(block(height, parent, coinbase, invalid)));
                invalidVariants.add(new InvalidVariant(height, kind));
            }
            Block block = block(height, parent, coinbase, drafts);
            sink.accept(connected(block));
            parent = BlockHashes.headerId(block.getHeader());
            wallet.addAll(created);
            progress.progress(height, options.blocks());
        }
    }

    /**
     * A side branch of {@code reorgDepth} valid blocks on {@code parent}, connected and then
     * disconnected tip first, as a node relays a reorg back to the canonical branch. Its blocks
     * pay the spare key (coinbase) and move coins between spare and miner accounts with the
     * spare key's nonces 0.., which the canonical chain never uses; nothing here touches the
     * generator's random stream, so the canonical chain is the one without reorgs.
     */
    private void sideBranch(long height, byte[] parent, Consumer<ChainEvent> sink) {
        List<byte[]> ids = new ArrayList<>(options.reorgDepth());
        byte[] tip = parent;
        for (int j = 0; j < options.reorgDepth(); j++) {
            long h = height + j;
            KeyPair spare = keys.get(SPARE);
            AccountTransfer body = AccountTransfer.newBuilder()
                    .setSender(Bytes.wrap(keys.address(SPARE))).setPublicKey(Bytes.wrap(spare.publicKey()))
                    .setRecipient(Bytes.wrap(keys.address(MINER))).setAmount(1 + j).setFee(1)
                    .setNonce(j).setSignature(Draft.UNSIGNED).build();
            TxOutput reward = TxOutput.newBuilder().setAmount(config.subsidy(h) + 1)
                    .setLock(Bytes.wrap(keys.address(SPARE))).build();
            Draft coinbase = new Draft(new Transaction(Coinbase.newBuilder().setHeight(h).setOutputs(List.of(reward)).build()),
                    List.of());
            Block block = block(h, tip, coinbase, List.of(new Draft(new Transaction(body), List.of(spare))));
            sink.accept(connected(block));
            tip = BlockHashes.headerId(block.getHeader());
            ids.add(tip);
        }
        for (int j = ids.size() - 1; j >= 0; j--) {
            sink.accept(ChainEvent.newBuilder().setEvent(BlockDisconnected.newBuilder().setChainId(CHAIN_ID)
                    .setHeight(height + j).setBlockId(Bytes.wrap(ids.get(j))).build()).build());
        }
    }

    private long buildTransactions(List<Draft> drafts, List<Coin> created) {
        int target = options.txsPerBlock();
        long fees = 0;
        while (drafts.size() < target) {
            switch (options.workload()) {
                case UTXO -> fees += spend(wallet.removeFirst(), drafts, created, true);
                case UTXO_CHAINED -> fees += chain(drafts, created, target);
                case TRANSFER -> fees += transfer(FIRST_USER + zipf.sample(prng), FIRST_USER + zipf.sample(prng), drafts);
                case MIXED -> {
                    if (prng.chance(0.6) && !wallet.isEmpty()) {
                        fees += spend(wallet.removeFirst(), drafts, created, true);
                    } else {
                        fees += transfer(hotPick(), hotPick(), drafts);
                    }
                }
            }
        }
        return fees;
    }

    private int hotPick() {
        int hot = Math.max(1, options.accounts() / 10);
        return FIRST_USER + (prng.chance(0.3) ? prng.nextInt(hot) : prng.nextInt(options.accounts()));
    }

    /**
     * One UTXO spend of {@code coin}: two outputs (payment and change) when {@code split}, else one.
     * Returns the fee; new outputs go to {@code created} (spendable from the next block on).
     */
    private long spend(Coin coin, List<Draft> drafts, List<Coin> created, boolean split) {
        long fee = prng.between(100, 199);
        long rest = coin.amount() - fee;
        List<TxOutput> outputs = new ArrayList<>(2);
        int payee = FIRST_USER + prng.nextInt(UTXO_OWNERS);
        int changeOwner = FIRST_USER + prng.nextInt(UTXO_OWNERS);
        long[] amounts = split && rest >= MIN_SPLIT ? new long[] {rest / 2, rest - rest / 2} : new long[] {rest};
        int[] owners = {payee, changeOwner};
        for (int i = 0; i < amounts.length; i++) {
            outputs.add(TxOutput.newBuilder().setAmount(amounts[i]).setLock(Bytes.wrap(keys.address(owners[i]))).build());
        }
        TxInput input = TxInput.newBuilder().setPrevTxId(Bytes.wrap(coin.txId())).setPrevIndex(coin.index())
                .setPublicKey(Bytes.wrap(keys.get(coin.owner()).publicKey())).setSignature(Draft.UNSIGNED).build();
        UtxoTransfer body = UtxoTransfer.newBuilder().setInputs(new ArrayList<>(List.of(input))).setOutputs(outputs).build();
        Draft draft = new Draft(new Transaction(body), List.of(keys.get(coin.owner())));
        drafts.add(draft);
        for (int i = 0; i < amounts.length; i++) {
            created.add(new Coin(draft.txId, i, amounts[i], owners[i]));
        }
        return fee;
    }

    /** A chain of 2..8 spends, each of the previous one's output, within this block. */
    private long chain(List<Draft> drafts, List<Coin> created, int target) {
        int length = (int) Math.min(prng.between(2, 8), target - drafts.size());
        Coin coin = wallet.removeFirst();
        long fees = 0;
        for (int i = 0; i < length; i++) {
            boolean last = i == length - 1;
            List<Coin> outputs = new ArrayList<>(2);
            fees += spend(coin, drafts, last ? created : outputs, last);
            if (!last) {
                coin = outputs.get(0);
            }
        }
        return fees;
    }

    private long transfer(int sender, int recipient, List<Draft> drafts) {
        if (recipient == sender) {
            recipient = FIRST_USER + ((recipient - FIRST_USER + 1) % options.accounts());
        }
        long amount = prng.between(1, 1000);
        long fee = prng.between(1, 10);
        if (balances[sender] < amount + fee) {
            throw new IllegalStateException("generator ran account " + sender + " dry; raise ACCOUNT_BALANCE");
        }
        KeyPair key = keys.get(sender);
        AccountTransfer body = AccountTransfer.newBuilder()
                .setSender(Bytes.wrap(keys.address(sender))).setPublicKey(Bytes.wrap(key.publicKey()))
                .setRecipient(Bytes.wrap(keys.address(recipient))).setAmount(amount).setFee(fee)
                .setNonce(nonces[sender]++).setSignature(Draft.UNSIGNED).build();
        balances[sender] -= amount + fee;
        balances[recipient] += amount;
        drafts.add(new Draft(new Transaction(body), List.of(key)));
        return fee;
    }

    private Draft coinbase(long height, long fees) {
        TxOutput reward = TxOutput.newBuilder().setAmount(config.subsidy(height) + fees)
                .setLock(Bytes.wrap(keys.address(MINER))).build();
        return new Draft(new Transaction(Coinbase.newBuilder().setHeight(height).setOutputs(List.of(reward)).build()), List.of());
    }

    private Block block(long height, byte[] parent, Draft coinbase, List<Draft> drafts) {
        List<Draft> all = new ArrayList<>(drafts.size() + 1);
        all.add(coinbase);
        all.addAll(drafts);
        // Signing dominates generation (ML-DSA ~0.8 ms a signature): sign the block in parallel.
        List<Transaction> txs = all.parallelStream().map(d -> d.copy().sign(CHAIN_ID)).toList();
        List<byte[]> hashes = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            hashes.add(TxCodec.txHash(tx));
        }
        BlockHeader header = BlockHeader.newBuilder()
                .setChainId(CHAIN_ID).setHeight(height).setParentHash(Bytes.wrap(parent))
                .setTimestamp(GENESIS_TIMESTAMP + height * BLOCK_INTERVAL_SECONDS)
                .setTxRoot(Bytes.wrap(BlockHashes.txRoot(hashes))).setExpectedStateRoot(null).build();
        return Block.newBuilder().setHeader(header).setTransactions(new ArrayList<>(txs)).build();
    }

    private static ChainEvent connected(Block block) {
        return ChainEvent.newBuilder().setEvent(BlockConnected.newBuilder().setBlock(block).build()).build();
    }
}
