package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.InMemoryStateStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The anchor every machine must reproduce: fixed-seed chains and their final state roots and
 * tip block hashes. If one of these changes, consensus changed: that is a hard fork, never a
 * test to update casually (docs/DESIGN.md, "Canonical encodings").
 */
class GoldenRootTest {

    @ParameterizedTest(name = "{0} {1} seed={2}")
    @CsvSource({
        "ed25519,   mixed,        42, 5, 200, 50, 78fa552d8b61886e53693dd602d549f48e8791912f056e99dd0701ab85ff3bd0, 06136e3ea857b54c8494807fc1ddda1d0051e98a0e9835c29e8c6823fc086848",
        "ed25519,   utxo-chained,  7, 4, 100, 10, c1f4b9cc0637de278bd0f1b532b65cb14edca9505dd461148cbbddc5ce8d1187, 51e256382b6f45e073600e05694077164fcee3f44fdff528c28edfe345eeb031",
        "ml-dsa-65, transfer,      1, 3,  20,  8, 375d9be8988074ed346f287cdbdcf61413f556203a9505fd9bd318dd0eb13d80, 27a1e839c46fe26105e751bdfdc9892e693ac1fc38c8a2edbbbd1e029ef4db87",
    })
    void finalRootIsTheGoldenConstant(String scheme, String workload, long seed, int blocks, int txs, int accounts,
                                      String expectedRoot, String expectedTipHash) {
        ChainGenerator generator = new ChainGenerator(new GeneratorOptions(seed, blocks, txs, Workload.fromId(workload),
                accounts, 2, SignatureScheme.fromId(scheme)));
        ChainRunner runner = new ChainRunner(generator.config(), new InMemoryStateStore(),
                new SequentialEngine(new ChainVm()), new BlockPreparer(null));
        BlockReport last = null;
        for (ChainEvent event : generator.generateAll()) {
            last = runner.process(event);
        }
        assertThat(Bytes.hex(runner.stateRoot())).isEqualTo(expectedRoot);
        assertThat(Bytes.hex(last.blockHash())).isEqualTo(expectedTipHash);
    }
}
