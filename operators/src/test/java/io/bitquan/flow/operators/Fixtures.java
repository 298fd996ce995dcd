package io.bitquan.flow.operators;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.ChainCatalog;
import io.bitquan.flow.operators.model.ChainInput;
import java.util.ArrayList;
import java.util.List;

/** A small generated chain (with invalid variants), its catalog and the reference results (every feed BlockResult, numbered). */
public final class Fixtures {
    public final Genesis genesis;
    public final String chainId;
    public final ChainCatalog catalog;
    public final List<ChainEvent> events;
    public final List<BlockResult> reference;

    public Fixtures(int blocks, int txs, int invalidEvery) {
        this(new ChainGenerator(new GeneratorOptions(3, blocks, txs, Workload.MIXED, 30, invalidEvery,
                SignatureScheme.ED25519)));
    }

    private Fixtures(ChainGenerator generator) {
        this(generator.genesis(), generator.generateAll());
    }

    /** The same chain with other events (e.g. a tampered header); reference recomputed. */
    public Fixtures(Genesis genesis, List<ChainEvent> events) {
        this.genesis = genesis;
        chainId = genesis.getChainId();
        catalog = ChainCatalog.of(List.of(genesis));
        this.events = events;
        ChainRunner runner = new ChainRunner(new ChainConfig(genesis), new InMemoryStateStore(),
                Engines.create("sequential", 1, new ChainVm()), new BlockPreparer(null));
        reference = new ArrayList<>();
        for (ChainEvent e : events) {
            for (BlockReport r : runner.processAll(e)) {
                if (r.feeds()) {
                    reference.add(r.toBlockResult());
                }
            }
        }
    }

    public ChainInput input(int i) {
        return new ChainInput(chainId, 0, i, AvroBinary.encode(events.get(i)));
    }
}
