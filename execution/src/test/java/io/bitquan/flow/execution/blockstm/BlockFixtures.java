package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.List;

/** One generated block over its genesis state: what engine-level tests execute. */
public record BlockFixtures(BlockContext context, List<PreparedTx> txs, InMemoryStateStore base) {

    /** The first block of the chain {@code options} describe (invalid variant first, if any). */
    public static BlockFixtures firstBlock(GeneratorOptions options) {
        ChainGenerator gen = new ChainGenerator(options);
        Block block = ((BlockConnected) gen.generateAll().get(0).getEvent()).getBlock();
        InMemoryStateStore base = new InMemoryStateStore();
        gen.config().loadGenesis(base);
        BlockContext context = new BlockContext(gen.config(), block.getHeader().getHeight(), block.getHeader().getTimestamp());
        return new BlockFixtures(context, BlockPreparer.decode(block), base);
    }
}
