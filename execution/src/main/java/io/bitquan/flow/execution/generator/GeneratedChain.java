package io.bitquan.flow.execution.generator;

import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A deterministic chain source: the native {@link ChainGenerator} and the contract workloads of
 * the {@code wasm} module both produce one, so commands treat every workload alike.
 */
public interface GeneratedChain {

    Genesis genesis();

    ChainConfig config();

    /** Emits the chain's events in order (same options => byte-identical events). */
    void generate(Consumer<ChainEvent> sink, ProgressListener progress);

    default List<ChainEvent> generateAll() {
        List<ChainEvent> events = new ArrayList<>();
        generate(events::add, ProgressListener.NONE);
        return events;
    }
}
