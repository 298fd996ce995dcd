package io.bitquan.flow.wasm.workload;

import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.KeyPool;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.generator.ProgressListener;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.avro.GenesisAccount;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.KeyPair;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ContractTxs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ContractAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Deterministic chains of contract transactions, the contract counterpart of
 * {@link ChainGenerator} (same chain id, timestamps, key derivation and block layout; no clock,
 * no hash-map iteration, SplitMix64).
 *
 * <p>Block 1 starts with the deploy of the workload's contract by user 0; for {@code token} the
 * deployer then sends each other holder an equal share (spilling into later blocks when there
 * are more holders than block slots); every remaining slot is a workload call. Calls are valid by
 * construction (token senders only spend what the generator knows they hold; swaps take min-out
 * 0), so every receipt succeeds.
 *
 * <p>Fees: each contract transaction offers {@link #FEE} for {@link #GAS_LIMIT} gas and is charged
 * only for the gas it uses; since the charge is decided at execution, the coinbase claims the
 * subsidy alone (claiming less than allowed is valid, the difference is burned).
 *
 * <p>Keys: 0 is the miner, 1 unused, holders are keys 2 .. 2 + holders - 1.
 */
public final class ContractChainGenerator implements GeneratedChain {
    public static final long GAS_LIMIT = 200_000;
    public static final long FEE = 2_000;
    static final int MINER = 0;
    static final int FIRST_USER = 2;
    static final long ACCOUNT_BALANCE = 100_000_000_000L;
    static final long TOKEN_SUPPLY_PER_HOLDER = 1_000_000_000L;
    static final long AMM_RESERVE = 1_000_000_000L;
    /** counter.wat's one slot (0); amm.wat's reserves (slots 1 and 2). */
    private static final byte[][] COUNTER_SLOTS = {slot(0)};
    private static final byte[][] AMM_SLOTS = {slot(1), slot(2)};

    private final ContractGeneratorOptions options;
    private final KeyPool keys;
    private final Genesis genesis;
    private final ChainConfig config;
    private final long[] nonces;
    private final long[] tokens;
    private final byte[] contract;
    private long prng;
    private int distributed;

    public ContractChainGenerator(ContractGeneratorOptions options) {
        this.options = options;
        this.keys = KeyPool.load(options.scheme(), options.seed(), FIRST_USER + options.holders());
        this.nonces = new long[keys.size()];
        this.tokens = new long[keys.size()];
        this.prng = options.seed() ^ 0x636f6e7472616374L;
        this.genesis = buildGenesis();
        this.config = new ChainConfig(genesis);
        this.contract = ContractAddress.of(keys.address(FIRST_USER), 0);
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

    /** The address of the workload's contract (deployed in block 1 by holder 0 with nonce 0). */
    public byte[] contract() {
        return contract.clone();
    }

    private Genesis buildGenesis() {
        List<GenesisAccount> accounts = new ArrayList<>();
        for (int k = FIRST_USER; k < FIRST_USER + options.holders(); k++) {
            accounts.add(GenesisAccount.newBuilder().setAddress(Bytes.wrap(keys.address(k))).setBalance(ACCOUNT_BALANCE).build());
        }
        return ChainGenerator.genesisTemplate(options.scheme(), options.txsPerBlock())
                .setUtxos(List.of())
                .setAccounts(accounts)
                .build();
    }

    /** Generates the whole chain into {@code sink}, in order. */
    @Override
    public void generate(Consumer<ChainEvent> sink, ProgressListener progress) {
        byte[] parent = config.genesisId();
        for (long height = 1; height <= options.blocks(); height++) {
            List<Signed> txs = new ArrayList<>(options.txsPerBlock());
            if (height == 1) {
                txs.add(deploy());
            }
            while (txs.size() < options.txsPerBlock()) {
                txs.add(next());
            }
            Block block = block(height, parent, txs);
            sink.accept(ChainEvent.newBuilder().setEvent(BlockConnected.newBuilder().setBlock(block).build()).build());
            parent = BlockHashes.headerId(block.getHeader());
            progress.progress(height, options.blocks());
        }
    }

    private record Signed(Transaction tx, KeyPair signer) {}

    private Signed deploy() {
        int deployer = FIRST_USER;
        byte[] args = switch (options.workload()) {
            case TOKEN -> ContractArgs.i64(TOKEN_SUPPLY_PER_HOLDER * options.holders());
            case COUNTER -> new byte[0];
            case AMM -> ContractArgs.i64s(AMM_RESERVE, AMM_RESERVE);
        };
        if (options.workload() == ContractWorkload.TOKEN) {
            tokens[deployer] = TOKEN_SUPPLY_PER_HOLDER * options.holders();
            distributed = 1;
        }
        byte[] code = ExampleContract.valueOf(options.workload().name()).code();
        return new Signed(ContractTxs.deploy(keys.get(deployer), nonces[deployer]++, code, args, 2_000_000, 20_000), keys.get(deployer));
    }

    private Signed next() {
        return switch (options.workload()) {
            case TOKEN -> distributed < options.holders() ? tokenTransfer(FIRST_USER, FIRST_USER + distributed++, TOKEN_SUPPLY_PER_HOLDER)
                    : randomTokenTransfer();
            case COUNTER -> call(randomHolder(), "increment", new byte[0], COUNTER_SLOTS);
            case AMM -> call(randomHolder(), nextLong() % 2 == 0 ? "swap_a_for_b" : "swap_b_for_a",
                    ContractArgs.i64s(1 + nextInt(10_000), 0), AMM_SLOTS);
        };
    }

    private Signed randomTokenTransfer() {
        int from = randomHolder();
        int to = randomHolder();
        if (to == from) {
            to = FIRST_USER + ((to - FIRST_USER + 1) % options.holders());
        }
        long amount = Math.min(tokens[from], 1 + nextInt(100));
        return tokenTransfer(from, to, amount);
    }

    private Signed tokenTransfer(int from, int to, long amount) {
        tokens[from] -= amount;
        tokens[to] += amount;
        // token.wat: a holder's balance lives in the slot named by the holder's address
        return call(from, "transfer", ContractArgs.transfer(keys.address(to), amount),
                new byte[][] {keys.address(from), keys.address(to)});
    }

    /**
     * A workload call; with {@link ContractGeneratorOptions#declareAccessLists()} it declares
     * exactly the storage slots the example contract touches (the runtime's own keys, sender and
     * code, are implied and not declared).
     */
    private Signed call(int sender, String method, byte[] args, byte[][] slots) {
        List<StateKey> accessList = null;
        if (options.declareAccessLists()) {
            accessList = new ArrayList<>(slots.length);
            for (byte[] slot : slots) {
                accessList.add(StateKey.storage(contract, slot));
            }
        }
        return new Signed(ContractTxs.call(keys.get(sender), nonces[sender]++, contract, method, args, 0, GAS_LIMIT, FEE,
                accessList), keys.get(sender));
    }

    /** The storage slot named by one number, 32 bytes big-endian (counter.wat, amm.wat). */
    private static byte[] slot(int n) {
        byte[] slot = new byte[32];
        slot[31] = (byte) n;
        return slot;
    }

    private int randomHolder() {
        return FIRST_USER + nextInt(options.holders());
    }

    private long nextLong() {
        long z = (prng += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int nextInt(int bound) {
        return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    private Block block(long height, byte[] parent, List<Signed> drafts) {
        Transaction coinbase = new Transaction(Coinbase.newBuilder().setHeight(height)
                .setOutputs(List.of(TxOutput.newBuilder().setAmount(config.subsidy(height))
                        .setLock(Bytes.wrap(keys.address(MINER))).build())).build());
        // Signing dominates generation: sign the block in parallel (each tx independently).
        List<Transaction> signed = drafts.parallelStream().map(d -> ContractTxs.sign(d.tx(), d.signer(), ChainGenerator.CHAIN_ID)).toList();
        List<Transaction> txs = new ArrayList<>(signed.size() + 1);
        txs.add(coinbase);
        txs.addAll(signed);
        List<byte[]> hashes = new ArrayList<>(txs.size());
        for (Transaction tx : txs) {
            hashes.add(TxCodec.txHash(tx));
        }
        BlockHeader header = BlockHeader.newBuilder()
                .setChainId(ChainGenerator.CHAIN_ID).setHeight(height).setParentHash(Bytes.wrap(parent))
                .setTimestamp(ChainGenerator.GENESIS_TIMESTAMP + height * ChainGenerator.BLOCK_INTERVAL_SECONDS)
                .setTxRoot(Bytes.wrap(BlockHashes.txRoot(hashes))).setExpectedStateRoot(null).build();
        return Block.newBuilder().setHeader(header).setTransactions(txs).build();
    }
}
