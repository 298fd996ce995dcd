package io.bitquan.flow.wasm;

import io.bitquan.flow.execution.engine.WriteBuffer;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.avro.GenesisAccount;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.KeyPair;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StorageValue;
import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ContractTxs;
import io.bitquan.flow.wasm.runtime.ContractAddress;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.InstancePolicy;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny single-node chain for contract tests: funded accounts, one transaction at a time applied
 * like the sequential engine does (a rule violation leaves state untouched).
 */
final class ContractHarness {
    static final long BALANCE = 1_000_000_000_000L;
    static final long GAS = 1_000_000;
    static final long FEE = 10_000;

    final WasmContractRuntime runtime;
    final InMemoryStateStore store = new InMemoryStateStore();
    final List<KeyPair> users = new ArrayList<>();
    final long[] nonces;
    final BlockContext block;

    ContractHarness(ExecutionMode mode, int userCount) {
        this(mode, InstancePolicy.DEFAULT, userCount);
    }

    ContractHarness(ExecutionMode mode, InstancePolicy policy, int userCount) {
        this.runtime = new WasmContractRuntime(mode, policy);
        List<GenesisAccount> accounts = new ArrayList<>();
        for (int i = 0; i < userCount; i++) {
            KeyPair k = SignatureScheme.ED25519.keyPairFromSeed(Blake3.hash(("harness-" + i).getBytes(StandardCharsets.US_ASCII)));
            users.add(k);
            accounts.add(GenesisAccount.newBuilder().setAddress(Bytes.wrap(k.address())).setBalance(BALANCE).build());
        }
        nonces = new long[userCount];
        Genesis genesis = Genesis.newBuilder().setChainId("harness").setSignatureScheme("ed25519").setCoinbaseMaturity(100)
                .setInitialSubsidy(0).setHalvingInterval(1000).setMaxBlockTransactions(1000).setGenesisTimestamp(1000)
                .setUtxos(List.of()).setAccounts(accounts).build();
        ChainConfig config = new ChainConfig(genesis);
        config.loadGenesis(store);
        block = new BlockContext(config, 7, 1_700_000_420L);
    }

    WasmContractRuntime.Result apply(Transaction tx) {
        WriteBuffer buffer = new WriteBuffer(store);
        WasmContractRuntime.Result r = runtime.executeDetailed(PreparedTx.of(1, tx), block, buffer);
        store.apply(buffer.writes());
        return r;
    }

    /** Applies or reports the rule violation (state unchanged then). */
    RuleViolation applyExpectingViolation(Transaction tx) {
        try {
            apply(tx);
            return null;
        } catch (RuleViolation v) {
            return v;
        }
    }

    WasmContractRuntime.Result deploy(int user, byte[] code, byte[] args) {
        return deploy(user, code, args, GAS);
    }

    WasmContractRuntime.Result deploy(int user, byte[] code, byte[] args, long gas) {
        return apply(ContractTxs.deploy(users.get(user), nonces[user]++, code, args, gas, FEE));
    }

    /** The address the user's next deploy will get. */
    byte[] nextAddress(int user) {
        return ContractAddress.of(users.get(user).address(), nonces[user]);
    }

    WasmContractRuntime.Result call(int user, byte[] contract, String method, byte[] args) {
        return call(user, contract, method, args, 0, GAS);
    }

    WasmContractRuntime.Result call(int user, byte[] contract, String method, byte[] args, long value, long gas) {
        return apply(ContractTxs.call(users.get(user), nonces[user]++, contract, method, args, value, gas, FEE));
    }

    long balance(int user) {
        return balanceOf(users.get(user).address());
    }

    long balanceOf(byte[] address) {
        StateValue v = store.read(StateKey.account(address));
        return v == null ? 0 : ((AccountState) v).balance();
    }

    /** An i64 storage slot (absent = null). */
    Long slot(byte[] contract, byte[] slot) {
        StateValue v = store.read(StateKey.storage(contract, slot));
        return v == null ? null : ContractArgs.readI64(((StorageValue) v).data(), 0);
    }

    byte[] address(int user) {
        return users.get(user).address();
    }

    /** Canonical snapshot of the whole state, for "state unchanged" assertions. */
    List<String> snapshot() {
        List<String> out = new ArrayList<>();
        for (byte[][] e : store.canonicalEntries()) {
            out.add(Bytes.hex(e[0]) + "=" + Bytes.hex(e[1]));
        }
        return out;
    }
}
