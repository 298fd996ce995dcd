package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainRunnerSmokeTest {
    @Test
    void generatedChainApplies() {
        for (Workload w : Workload.values()) {
            ChainGenerator gen = new ChainGenerator(GeneratorOptions.of(7, 6, 50, w).withAccounts(20).withInvalidEvery(1));
            List<ChainEvent> events = gen.generateAll();
            ChainRunner runner = new ChainRunner(gen.config(), new InMemoryStateStore(), new SequentialEngine(new ChainVm()), new BlockPreparer(null));
            int i = 0;
            for (ChainEvent e : events) {
                BlockReport r = runner.process(e);
                System.out.println(w + " " + r.line() + (r.accepted() ? "" : " " + r.violation().getMessage()));
            }
            assertThat(runner.tipHeight()).isEqualTo(6);
        }
    }
}
