package io.bitquan.flow.execution.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.PreparedTx;
import java.util.Arrays;
import java.util.List;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.rules.BlockLimits;
import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class DependencyAnalyzerTest {

    @Test
    void independentUtxoSpendsHaveNoDependencies() {
        List<PreparedTx> txs = BlockFixtures.firstBlock(GeneratorOptions.of(1, 1, 200, Workload.UTXO)).txs();
        BlockDependencies deps = DependencyAnalyzer.analyze(txs);
        assertThat(deps.dependentTxs()).isZero();
        assertThat(deps.criticalPath()).isEqualTo(1);
        assertThat(deps.parallelism()).isEqualTo(txs.size());
    }

    /** A spend of an output created earlier in the block depends on exactly the creating tx. */
    @Test
    void chainedSpendsDependOnTheTransactionThatCreatedTheirInput() {
        List<PreparedTx> txs = BlockFixtures.firstBlock(GeneratorOptions.of(1, 1, 200, Workload.UTXO_CHAINED)).txs();
        BlockDependencies deps = DependencyAnalyzer.analyze(txs);
        int chained = 0;
        for (PreparedTx tx : txs) {
            if (!(tx.body() instanceof UtxoTransfer t)) {
                continue;
            }
            TxInput in = t.getInputs().get(0);
            int creator = -1;
            for (PreparedTx earlier : txs.subList(0, tx.index())) {
                if (Arrays.equals(earlier.txId(), Bytes.of(in.getPrevTxId()))) {
                    creator = earlier.index();
                }
            }
            if (creator >= 0) {
                chained++;
                assertThat(deps.predecessors(tx.index())).containsExactly(creator);
            } else {
                assertThat(deps.predecessors(tx.index())).isEmpty();
            }
        }
        assertThat(chained).isEqualTo(deps.dependentTxs()).isPositive();
        assertThat(deps.criticalPath()).isBetween(2, 8);
    }

    /** Transfers depend on the last earlier transfer touching either endpoint, highest first. */
    @Test
    void transfersDependOnTheLastEarlierWriterOfEitherAccount() {
        List<PreparedTx> txs = BlockFixtures.firstBlock(GeneratorOptions.of(1, 1, 100, Workload.TRANSFER).withAccounts(5)).txs();
        BlockDependencies deps = DependencyAnalyzer.analyze(txs);
        for (int jj = 1; jj < txs.size(); jj++) {
            int j = jj;
            AccountTransfer tj = (AccountTransfer) txs.get(j).body();
            List<byte[]> mine = List.of(Bytes.of(tj.getSender()), Bytes.of(tj.getRecipient()));
            int[] expected = mine.stream().mapToInt(acct -> {
                for (int i = j - 1; i >= 1; i--) {
                    AccountTransfer ti = (AccountTransfer) txs.get(i).body();
                    if (Arrays.equals(Bytes.of(ti.getSender()), acct) || Arrays.equals(Bytes.of(ti.getRecipient()), acct)) {
                        return i;
                    }
                }
                return -1;
            }).filter(i -> i >= 0).distinct().boxed().sorted((a, b) -> b - a).mapToInt(Integer::intValue).toArray();
            assertThat(deps.predecessors(j)).as("tx " + j).containsExactly(expected);
        }
        assertThat(deps.parallelism()).isLessThan(5.0);
    }

    private static final byte[] SENDER = filled(1);
    private static final byte[] CONTRACT = filled(2);

    private static byte[] filled(int b) {
        byte[] a = new byte[32];
        Arrays.fill(a, (byte) b);
        return a;
    }

    private static PreparedTx call(long value, List<ByteBuffer> accessList) {
        ContractCall c = ContractCall.newBuilder()
                .setSender(ByteBuffer.wrap(SENDER)).setPublicKey(ByteBuffer.wrap(new byte[32]))
                .setContract(ByteBuffer.wrap(CONTRACT)).setMethod("transfer").setArgs(ByteBuffer.wrap(new byte[0]))
                .setValue(value).setGasLimit(100_000).setFee(1_000).setNonce(0).setAccessList(accessList)
                .setSignature(ByteBuffer.wrap(new byte[64])).build();
        return PreparedTx.of(1, new Transaction(c));
    }

    private static ByteBuffer entry(StateKey key) {
        return ByteBuffer.wrap(key.encoded());
    }

    /**
     * The sample reports how many transactions lack a complete prediction: the engine skips the
     * predicted schedule's (pool-wide) prediction for such a block instead of discovering it there.
     */
    @Test
    void theAnalysisCountsTransactionsWithoutACompletePrediction() {
        StateKey slot = StateKey.storage(CONTRACT, filled(7));
        List<PreparedTx> block = List.of(call(0, null), call(0, List.of(entry(slot))), call(5, null));
        assertThat(DependencyAnalyzer.analyze(block).incompleteTxs()).isEqualTo(2);
        assertThat(DependencyAnalyzer.analyze(block.subList(1, 2)).incompleteTxs()).isZero();
        List<PreparedTx> native_ = BlockFixtures.firstBlock(GeneratorOptions.of(7, 1, 200, Workload.MIXED)).txs();
        assertThat(DependencyAnalyzer.analyze(native_).incompleteTxs()).isZero();
    }

    /**
     * A call with a declared list is complete: the runtime's own keys (sender; the code, read
     * only) plus every declared key, read and written. Without a list it stays incomplete.
     */
    @Test
    void aContractCallWithADeclaredListIsCompletePlusTheRuntimesOwnKeys() {
        StateKey slot = StateKey.storage(CONTRACT, filled(7));
        StateKey other = StateKey.account(filled(9));
        AccessSet set = DependencyAnalyzer.accessSet(call(0, List.of(entry(slot), entry(other))));
        assertThat(set.complete()).isTrue();
        assertThat(set.writes()).containsExactly(StateKey.account(SENDER), slot, other);
        assertThat(set.reads()).containsExactly(StateKey.account(SENDER), slot, other, StateKey.code(CONTRACT));

        AccessSet empty = DependencyAnalyzer.accessSet(call(0, List.of()));
        assertThat(empty.complete()).isTrue();
        assertThat(empty.reads()).containsExactly(StateKey.account(SENDER), StateKey.code(CONTRACT));

        assertThat(DependencyAnalyzer.accessSet(call(0, null)).complete()).isFalse();
    }

    /** A call that moves value credits the contract's own account: predicted without being declared. */
    @Test
    void aValueTransferAddsTheContractsAccount() {
        AccessSet set = DependencyAnalyzer.accessSet(call(5, List.of()));
        assertThat(set.writes()).containsExactly(StateKey.account(SENDER), StateKey.account(CONTRACT));
        assertThat(set.reads()).contains(StateKey.account(CONTRACT), StateKey.code(CONTRACT));
    }

    /** Hostile lists: entries that do not parse are ignored; a list above the cap counts as none. */
    @Test
    void hostileListsStayBounded() {
        StateKey slot = StateKey.storage(CONTRACT, filled(7));
        AccessSet set = DependencyAnalyzer.accessSet(call(0, List.of(ByteBuffer.wrap(new byte[] {9, 9, 9}), entry(slot),
                ByteBuffer.wrap(new byte[0]))));
        assertThat(set.complete()).isTrue();
        assertThat(set.writes()).containsExactly(StateKey.account(SENDER), slot);

        List<ByteBuffer> atCap = Collections.nCopies(BlockLimits.MAX_ACCESS_LIST, entry(slot));
        assertThat(DependencyAnalyzer.accessSet(call(0, atCap)).complete()).isTrue();
        List<ByteBuffer> huge = Collections.nCopies(BlockLimits.MAX_ACCESS_LIST + 1, entry(slot));
        AccessSet over = DependencyAnalyzer.accessSet(call(0, huge));
        assertThat(over.complete()).isFalse();
        assertThat(over.writes()).hasSize(1);
    }

    /** Two listed calls to one contract depend only through declared keys, not through its code (read only). */
    @Test
    void listedCallsToOneContractDependOnlyThroughTheirDeclaredKeys() {
        StateKey a = StateKey.storage(CONTRACT, filled(7));
        StateKey b = StateKey.storage(CONTRACT, filled(8));
        PreparedTx first = call(0, List.of(entry(a)));
        ContractCall secondBody = ContractCall.newBuilder((ContractCall) call(0, List.of(entry(b))).body())
                .setSender(ByteBuffer.wrap(filled(3))).build();
        ContractCall thirdBody = ContractCall.newBuilder((ContractCall) call(0, List.of(entry(a))).body())
                .setSender(ByteBuffer.wrap(filled(4))).build();
        BlockDependencies deps = DependencyAnalyzer.analyze(List.of(first,
                PreparedTx.of(2, new Transaction(secondBody)), PreparedTx.of(3, new Transaction(thirdBody))));
        assertThat(deps.predecessors(1)).isEmpty();
        assertThat(deps.predecessors(2)).containsExactly(0);
    }

    /**
     * The fingerprinted analysis gives exactly what keying a map by the access sets' own
     * {@code StateKey}s gives (the pre-round-5 analysis, kept here as the reference), on blocks of
     * every native workload and contention level, and the direct fingerprints of transaction
     * fields equal those of the keys built from them.
     */
    @Test
    void fingerprintsGiveTheSameDependenciesAsTheKeys() {
        for (Workload w : Workload.values()) {
            for (int accounts : new int[] {2, 50, 1000}) {
                List<PreparedTx> txs = BlockFixtures.firstBlock(GeneratorOptions.of(7, 1, 400, w).withAccounts(accounts)).txs();
                BlockDependencies actual = DependencyAnalyzer.analyze(txs);
                BlockDependencies expected = byKeys(txs);
                String what = w + " over " + accounts;
                assertThat(actual.criticalPath()).as(what).isEqualTo(expected.criticalPath());
                assertThat(actual.dependentTxs()).as(what).isEqualTo(expected.dependentTxs());
                assertThat(actual.incompleteTxs()).as(what).isEqualTo(expected.incompleteTxs());
                for (int t = 0; t < txs.size(); t++) {
                    assertThat(actual.predecessors(t)).as(what + " tx " + t).containsExactly(expected.predecessors(t));
                }
            }
        }
        byte[] raw = new byte[40];
        new java.util.Random(5).nextBytes(raw);
        ByteBuffer address = ByteBuffer.wrap(raw, 3, 32).slice();
        assertThat(KeyPrints.account(address)).isEqualTo(KeyPrints.of(StateKey.account(address)));
        assertThat(KeyPrints.account(address.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo(KeyPrints.of(StateKey.account(address)));
        assertThat(KeyPrints.utxo(address, 70000)).isEqualTo(KeyPrints.of(StateKey.utxo(address, 70000)));
        assertThat(KeyPrints.utxo(Bytes.of(address), -3)).isEqualTo(KeyPrints.of(StateKey.utxo(Bytes.of(address), -3)));
        assertThat(KeyPrints.of(StateKey.account(address))).isNotEqualTo(KeyPrints.of(StateKey.code(Bytes.of(address))));
    }

    /** The reference: last writer per {@code StateKey} in a map, over {@link DependencyAnalyzer#accessSet}. */
    private static BlockDependencies byKeys(List<PreparedTx> txs) {
        int n = txs.size();
        int[][] preds = new int[n][];
        int[] depth = new int[n];
        java.util.Map<StateKey, Integer> lastWriter = new java.util.HashMap<>();
        int critical = n == 0 ? 0 : 1;
        int dependent = 0;
        int incomplete = 0;
        for (int j = 0; j < n; j++) {
            AccessSet access = DependencyAnalyzer.accessSet(txs.get(j));
            if (!access.complete()) {
                incomplete++;
            }
            java.util.TreeSet<Integer> found = new java.util.TreeSet<>(Collections.reverseOrder());
            int d = 0;
            for (StateKey key : access.reads()) {
                Integer writer = lastWriter.get(key);
                if (writer != null && found.add(writer)) {
                    d = Math.max(d, depth[writer]);
                }
            }
            depth[j] = d + 1;
            critical = Math.max(critical, depth[j]);
            if (!found.isEmpty()) {
                preds[j] = found.stream().mapToInt(Integer::intValue).toArray();
                dependent++;
            }
            for (StateKey key : access.writes()) {
                lastWriter.put(key, j);
            }
        }
        return new BlockDependencies(preds, critical, dependent, incomplete);
    }
}
