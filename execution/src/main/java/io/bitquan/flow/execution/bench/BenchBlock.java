package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.util.List;

/**
 * One workload's measured block, ready to execute: the chain's last block, decoded, over the state
 * the chain's earlier blocks left (contract chains deploy in block 1 and are measured on block 2;
 * native chains have one block), with the VM that runs it. Shared by {@link EngineBench} and the
 * warm differential gate, so the gate executes exactly the block the bench times.
 */
public record BenchBlock(ChainConfig config, List<ChainEvent> events, InMemoryStateStore base, Block block,
                  List<PreparedTx> txs, BlockContext context, TransactionVm vm) {

    public static BenchBlock of(BenchWorkload workload, int size, long seed, SignatureScheme scheme, EngineBench.ChainSource source) {
        GeneratedChain generator = source.chain(workload, size, seed, scheme);
        ChainConfig config = generator.config();
        List<ChainEvent> events = generator.generateAll();
        InMemoryStateStore base = stateBefore(config, events, source, workload);
        Block block = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        BlockContext context = new BlockContext(config, block.getHeader().getHeight(), block.getHeader().getTimestamp());
        TransactionVm vm = workload.signatures() ? EngineBench.verifyingVm(source.vm()) : source.vm();
        return new BenchBlock(config, events, base, block, BlockPreparer.decode(block), context, vm);
    }

    /** The state the chain's blocks before the measured (last) one leave, built by the calling thread. */
    public static InMemoryStateStore stateBefore(ChainConfig config, List<ChainEvent> events, EngineBench.ChainSource source,
                                          BenchWorkload workload) {
        InMemoryStateStore base = new InMemoryStateStore();
        try (SequentialEngine setup = new SequentialEngine(source.vm())) {
            ChainRunner runner = new ChainRunner(config, base, setup, new BlockPreparer(null));
            for (ChainEvent event : events.subList(0, events.size() - 1)) {
                if (!runner.process(event).accepted()) {
                    throw new IllegalStateException("setup block rejected for " + workload.label());
                }
            }
        }
        return base;
    }
}
