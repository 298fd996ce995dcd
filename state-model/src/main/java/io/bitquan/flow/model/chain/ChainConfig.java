package io.bitquan.flow.model.chain;

import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.avro.GenesisAccount;
import io.bitquan.flow.model.avro.GenesisUtxo;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateStore;
import io.bitquan.flow.model.state.StateWrite;
import io.bitquan.flow.model.state.UtxoEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The consensus parameters of one chain, read from its {@link Genesis} record, plus the genesis
 * state and the genesis id (the parent hash of block 1).
 */
public final class ChainConfig {
    /** 21 million coins of 10^8 base units, as in Bitcoin: the range every amount must be in. */
    public static final long MAX_MONEY = 21_000_000L * 100_000_000L;

    private final Genesis genesis;
    private final SignatureScheme scheme;
    private final byte[] genesisId;

    public ChainConfig(Genesis genesis) {
        this.genesis = genesis;
        this.scheme = SignatureScheme.fromId(genesis.getSignatureScheme());
        this.genesisId = computeGenesisId(genesis);
    }

    public Genesis genesis() {
        return genesis;
    }

    public String chainId() {
        return genesis.getChainId();
    }

    public SignatureScheme scheme() {
        return scheme;
    }

    public int coinbaseMaturity() {
        return genesis.getCoinbaseMaturity();
    }

    public int maxBlockTransactions() {
        return genesis.getMaxBlockTransactions();
    }

    public byte[] genesisId() {
        return genesisId.clone();
    }

    /** Block subsidy at a height: halves every {@code halvingInterval} blocks, zero after 63 halvings. */
    public long subsidy(long height) {
        long halvings = height / genesis.getHalvingInterval();
        return halvings >= 63 ? 0 : genesis.getInitialSubsidy() >> halvings;
    }

    public static boolean inMoneyRange(long amount) {
        return amount >= 0 && amount <= MAX_MONEY;
    }

    /** Genesis state as a sorted write set. */
    public List<StateWrite> genesisWrites() {
        return genesisWrites(genesis);
    }

    private static List<StateWrite> genesisWrites(Genesis g) {
        List<StateWrite> writes = new ArrayList<>();
        for (GenesisUtxo u : g.getUtxos()) {
            writes.add(new StateWrite(StateKey.utxo(Bytes.of(u.getTxId()), u.getIndex()),
                    new UtxoEntry(u.getAmount(), 0, false, Bytes.of(u.getLock()))));
        }
        for (GenesisAccount a : g.getAccounts()) {
            writes.add(new StateWrite(StateKey.account(Bytes.of(a.getAddress())), new AccountState(a.getBalance(), 0)));
        }
        writes.sort(null);
        return writes;
    }

    public void loadGenesis(StateStore store) {
        store.apply(genesisWrites());
    }

    private static byte[] computeGenesisId(Genesis g) {
        CanonicalWriter w = new CanonicalWriter(1024)
                .string(g.getChainId()).string(g.getSignatureScheme()).i32(g.getCoinbaseMaturity())
                .i64(g.getInitialSubsidy()).i64(g.getHalvingInterval()).i32(g.getMaxBlockTransactions())
                .i64(g.getGenesisTimestamp());
        // Genesis entries are hashed in key order, independent of the order the file lists them.
        List<StateWrite> writes = genesisWrites(g);
        w.i32(writes.size());
        for (StateWrite write : writes) {
            w.bytes(write.key().encodedUnsafe()).bytes(write.value().encode());
        }
        return Blake3.hash("bitquan/genesis".getBytes(StandardCharsets.US_ASCII), w.toByteArray());
    }
}
