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
        Block block = lastBlock(new ChainGenerator(new GeneratorOptions(3, 1, 150, Workload.MIXED, 40, 0,
                SignatureScheme.ED25519)));
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

    /** The verdict is the lowest failing index's at every pool size (fine leaves: any worker may check any index). */
    @Test
    void parallelVerificationReportsTheLowestFailingIndexAtEveryPoolSize() {
        ChainGenerator generator = new ChainGenerator(new GeneratorOptions(5, 1, 150, Workload.MIXED, 40, 0,
                SignatureScheme.ED25519));
        Block block = lastBlock(generator);
        List<Transaction> txs = new ArrayList<>(block.getTransactions());
        List<Integer> transfers = new ArrayList<>();
        for (int i = 1; i < txs.size(); i++) {
            if (txs.get(i).getBody() instanceof io.bitquan.flow.model.avro.AccountTransfer) {
                transfers.add(i);
            }
        }
        assertThat(transfers.size()).isGreaterThan(3);
        int first = transfers.get(transfers.size() / 2);
        int later = transfers.get(transfers.size() - 1);
        txs.set(later, badSignature(txs.get(later)));
        txs.set(first, badSignature(txs.get(first)));
        Block bad = Block.newBuilder(block).setTransactions(txs).build();
        String chainId = generator.config().chainId();
        List<PreparedTx> prepared = BlockPreparer.decode(bad);
        var expected = new BlockPreparer(null).verifySignatures(prepared, chainId, SignatureScheme.ED25519);
        assertThat(expected).isNotNull();
        assertThat(expected.getMessage()).contains(String.valueOf(first));
        assertThat(new BlockPreparer(null).verifySignatures(BlockPreparer.decode(block), chainId, SignatureScheme.ED25519)).isNull();
        for (int threads : new int[] {1, 2, 3, 8, 16}) {
            ForkJoinPool pool = new ForkJoinPool(threads);
            try {
                BlockPreparer preparer = new BlockPreparer(pool);
                for (int run = 0; run < 5; run++) {
                    var got = preparer.verifySignatures(preparer.decodeParallel(bad), chainId, SignatureScheme.ED25519);
                    assertThat(got.getMessage()).as("pool of %d", threads).isEqualTo(expected.getMessage());
                    assertThat(got.rule()).isEqualTo(expected.rule());
                }
                assertThat(preparer.verifySignatures(preparer.decodeParallel(block), chainId, SignatureScheme.ED25519)).isNull();
            } finally {
                pool.shutdown();
            }
        }
    }

    private static Block lastBlock(ChainGenerator generator) {
        Block block = null;
        for (ChainEvent e : generator.generateAll()) {
            if (e.getEvent() instanceof BlockConnected c) {
                block = c.getBlock();
            }
        }
        return block;
    }

    /** The transfer with its signature's first byte flipped (a copy: the original stays intact). */
    private static Transaction badSignature(Transaction tx) {
        var body = io.bitquan.flow.model.avro.AccountTransfer.newBuilder((io.bitquan.flow.model.avro.AccountTransfer) tx.getBody()).build();
        byte[] sig = io.bitquan.flow.model.codec.Bytes.of(body.getSignature());
        sig[0] ^= 1;
        body.setSignature(io.bitquan.flow.model.codec.Bytes.wrap(sig));
        Transaction copy = Transaction.newBuilder(tx).build();
        copy.setBody(body);
        return copy;
    }
}
