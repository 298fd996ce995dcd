package io.bitquan.flow.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench engine}'s workload routing for contract workloads: {@code token-listed:H} (and the
 * other {@code -listed} ids) is the {@code token:H} chain with every call's access list declared;
 * the plain ids keep calls without lists, so their rows stay what they were.
 */
class BenchEngineContractWorkloadsTest {

    private static List<ContractCall> calls(String spec) {
        List<ChainEvent> events = BenchEngineCommand.ALL_WORKLOADS.chain(BenchWorkload.parse(spec), 30, 42, SignatureScheme.ED25519)
                .generateAll();
        List<Transaction> txs = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock().getTransactions();
        return txs.stream().map(Transaction::getBody).filter(ContractCall.class::isInstance).map(ContractCall.class::cast).toList();
    }

    @Test
    void listedIdsDeclareAccessListsOnTheSameCalls() {
        for (String w : List.of("token", "counter", "amm")) {
            List<ContractCall> plain = calls(w + ":8");
            List<ContractCall> listed = calls(w + "-listed:8");
            assertThat(listed).as(w).hasSameSizeAs(plain).isNotEmpty();
            for (int i = 0; i < plain.size(); i++) {
                assertThat(plain.get(i).getAccessList()).as(w).isNull();
                assertThat(listed.get(i).getAccessList()).as(w).isNotEmpty();
                assertThat(listed.get(i).getArgs()).as(w).isEqualTo(plain.get(i).getArgs());
                assertThat(listed.get(i).getMethod()).as(w).isEqualTo(plain.get(i).getMethod());
            }
        }
        assertThat(BenchWorkload.parse("token-listed:10000").label()).isEqualTo("token-listed/10000");
    }
}
