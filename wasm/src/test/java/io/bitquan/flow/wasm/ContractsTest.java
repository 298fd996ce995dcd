package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.wasm.workload.ContractChainGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wiring facade: what the CLI and the Flink job call. */
class ContractsTest {

    @Test
    void facadeRunsAContractChainAndPlainVmRejectsIt() {
        assertThat(Contracts.isContractWorkload("token")).isTrue();
        assertThat(Contracts.isContractWorkload("AMM")).isTrue();
        assertThat(Contracts.isContractWorkload("transfer")).isFalse();
        assertThat(Contracts.chainVm()).isSameAs(Contracts.chainVm());
        ContractChainGenerator gen = Contracts.generator(1, 2, 30, "counter", 5, SignatureScheme.ED25519);
        List<ChainEvent> events = gen.generateAll();

        ChainRunner withContracts = new ChainRunner(gen.config(), new InMemoryStateStore(),
                new SequentialEngine(Contracts.chainVm()), new BlockPreparer(null));
        for (ChainEvent e : events) {
            assertThat(withContracts.process(e).accepted()).isTrue();
        }
        ChainRunner without = new ChainRunner(gen.config(), new InMemoryStateStore(),
                new SequentialEngine(new ChainVm()), new BlockPreparer(null));
        BlockReport first = without.process(events.get(0));
        assertThat(first.accepted()).isFalse();
        assertThat(first.violation().rule()).isEqualTo(Rule.CONTRACTS_DISABLED);
    }
}
