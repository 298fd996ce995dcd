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
}
