package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** The parallel decode gives exactly the sequential one, failures included, whatever the split. */
class BlockPreparerTest {

    @Test
    void parallelDecodeEqualsTheSequentialOneAndFailsAtTheLowestIndex() {
        ChainGenerator generator = new ChainGenerator(new GeneratorOptions(3, 1, 150, Workload.MIXED, 40, 0,
                SignatureScheme.ED25519));
        Block block = null;
        for (ChainEvent e : generator.generateAll()) {
            if (e.getEvent() instanceof BlockConnected c) {
                block = c.getBlock();
            }
        }
        ForkJoinPool pool = new ForkJoinPool(3);
        try {
            BlockPreparer preparer = new BlockPreparer(pool);
            List<PreparedTx> sequential = BlockPreparer.decode(block);
            List<PreparedTx> parallel = preparer.decodeParallel(block);
            assertThat(parallel).hasSize(151);
            for (int i = 0; i < sequential.size(); i++) {
                assertThat(parallel.get(i).index()).isEqualTo(i);
                assertThat(parallel.get(i).tx()).isSameAs(sequential.get(i).tx());
                assertThat(parallel.get(i).txId()).isEqualTo(sequential.get(i).txId());
                assertThat(parallel.get(i).txHash()).isEqualTo(sequential.get(i).txHash());
            }

            List<Transaction> txs = new ArrayList<>(block.getTransactions());
            txs.set(140, new Transaction("later"));
            txs.set(70, new Transaction("first"));
            Block broken = Block.newBuilder(block).setTransactions(txs).build();
            for (int run = 0; run < 20; run++) {
                assertThatThrownBy(() -> preparer.decodeParallel(broken)).hasMessageContaining("first");
            }
            assertThatThrownBy(() -> BlockPreparer.decode(broken)).hasMessageContaining("first");
        } finally {
            pool.shutdown();
        }
    }
}
