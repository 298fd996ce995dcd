package io.bitquan.flow.execution.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.testing.TestChain;
import io.bitquan.flow.execution.testing.TestChain.Spend;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns arbitrary bytes into a short chain of mostly-plausible, often-invalid blocks (spends of
 * spent or unknown coins, chained spends, bad amounts, malformed locks, wrong keys, corrupted
 * signatures, stray coinbases, broken headers) and checks, for every engine:
 * nothing throws; a rejected block leaves the store byte-identical; an accepted block's
 * incremental root equals a full recompute; and every engine agrees with the sequential one on
 * every block (accepted or the same rule, same root).
 */
final class BlockFuzzHarness {
    private BlockFuzzHarness() {}

    static void run(byte[] data) {
        List<Block> blocks = scenario(new ByteCursor(data));
        List<String> reference = null;
        for (String engine : Engines.NAMES) {
            List<String> outcomes = replay(blocks, Engines.createStrict(engine, 3, new ChainVm()));
            if (reference == null) {
                reference = outcomes;
            } else {
                assertThat(outcomes).as("engine %s vs sequential", engine).isEqualTo(reference);
            }
        }
        // createStrict's block-stm takes the predicted schedule wherever it applies: the
        // optimistic path gets the same blocks too.
        List<String> optimistic = replay(blocks, new BlockStmEngine(new ChainVm(), BlockStmOptions.strict(3, true)));
        assertThat(optimistic).as("optimistic block-stm vs sequential").isEqualTo(reference);
    }

    private static List<String> replay(List<Block> blocks, ExecutionEngine engine) {
        List<String> outcomes = new ArrayList<>();
        try (engine) {
            TestChain chain = new TestChain(u -> {}, engine);
            for (Block block : blocks) {
                List<byte[][]> before = chain.store.canonicalEntries();
                BlockReport report = chain.apply(Block.newBuilder(block).build());
                if (report.accepted()) {
                    LtHash recomputed = new LtHash();
                    chain.store.forEach(recomputed::add);
                    assertThat(chain.runner.stateRoot()).isEqualTo(recomputed.root());
                } else {
                    assertThat(sameEntries(before, chain.store)).as("rejected block changed state").isTrue();
                }
                outcomes.add(report.line());
            }
        }
        return outcomes;
    }

    private static boolean sameEntries(List<byte[][]> before, InMemoryStateStore store) {
        List<byte[][]> after = store.canonicalEntries();
        if (before.size() != after.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            if (!java.util.Arrays.equals(before.get(i)[0], after.get(i)[0]) || !java.util.Arrays.equals(before.get(i)[1], after.get(i)[1])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Builds the blocks on a throwaway sequential chain so headers link to its tips; each engine
     * then replays the same blocks from genesis.
     */
    private static List<Block> scenario(ByteCursor in) {
        TestChain chain = new TestChain();
        List<Block> blocks = new ArrayList<>();
        int count = 1 + in.below(3);
        for (int b = 0; b < count; b++) {
            List<Transaction> txs = new ArrayList<>();
            List<byte[]> created = new ArrayList<>();
            int n = in.below(7);
            long fees = 0;
            for (int i = 0; i < n; i++) {
                Transaction tx = transaction(chain, in, created);
                txs.add(tx);
                created.add(TxCodec.txId(tx));
                fees += in.chance(50) ? 10 : 0;
            }
            if (!in.chance(5)) {
                long claim = in.chance(80) ? chain.subsidy() : in.chance(50) ? chain.subsidy() + fees : in.anyLong();
                txs.add(0, chain.coinbase(claim));
            }
            Block block = chain.block(txs);
            if (in.chance(5)) {
                block.getHeader().setHeight(block.getHeader().getHeight() + in.below(3) - 1);
            }
            if (in.chance(5)) {
                block.getHeader().setTxRoot(ByteBuffer.wrap(in.bytes(in.below(40))));
            }
            blocks.add(block);
            chain.apply(Block.newBuilder(block).build());
        }
        return blocks;
    }

    private static Transaction transaction(TestChain chain, ByteCursor in, List<byte[]> created) {
        int owner = in.below(TestChain.KEYS);
        int to = in.below(TestChain.KEYS);
        Transaction tx;
        switch (in.below(6)) {
            case 0 -> tx = chain.spendGenesis(owner, outputs(chain, in));
            case 1 -> {
                byte[] prev = created.isEmpty() || in.chance(10) ? in.bytes(32) : created.get(in.below(created.size()));
                tx = chain.spend(List.of(new Spend(prev, in.below(3), owner)), List.of(outputs(chain, in)));
            }
            case 2 -> tx = chain.transfer(owner, chain.keys[to].address(), amount(in), in.below(20), in.below(3));
            case 3 -> tx = chain.transfer(owner, chain.keys[to], chain.keys[owner].address(), amount(in), 1, 0);
            case 4 -> tx = chain.coinbase(in.below(1000));
            default -> tx = chain.spend(List.of(new Spend(TestChain.genesisTxId(owner), 0, owner),
                    new Spend(TestChain.genesisTxId(to), 0, in.chance(70) ? to : owner)), List.of(outputs(chain, in)));
        }
        if (in.chance(8)) {
            corruptSignature(tx);
        }
        return tx;
    }

    private static TxOutput[] outputs(TestChain chain, ByteCursor in) {
        TxOutput[] outs = new TxOutput[in.below(3)];
        for (int i = 0; i < outs.length; i++) {
            outs[i] = in.chance(5) ? TestChain.out(amount(in), in.bytes(31)) : chain.outTo(in.below(TestChain.KEYS), amount(in));
        }
        return outs;
    }

    private static long amount(ByteCursor in) {
        return switch (in.below(5)) {
            case 0 -> in.anyLong();
            case 1 -> ChainConfig.MAX_MONEY - in.below(3) + 1;
            default -> in.below(TestChain.COIN > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) TestChain.COIN + 2);
        };
    }

    private static void corruptSignature(Transaction tx) {
        Object body = tx.getBody();
        if (body instanceof UtxoTransfer t && !t.getInputs().isEmpty()) {
            byte[] sig = Bytes.of(t.getInputs().get(0).getSignature());
            if (sig.length > 0) {
                sig[0] ^= 1;
            }
            t.getInputs().get(0).setSignature(ByteBuffer.wrap(sig));
        } else if (body instanceof AccountTransfer t) {
            t.setSignature(ByteBuffer.wrap(new byte[3]));
        }
    }
}
