package io.bitquan.flow.execution.engine;

import io.bitquan.flow.execution.vm.TransactionVm;
import java.util.List;

/** Creates engines by their command-line names. */
public final class Engines {
    /** Names accepted by {@code --engine}. */
    public static final List<String> NAMES = List.of("sequential");

    private Engines() {}

    /**
     * @param name    {@code sequential}, {@code block-stm} or {@code two-phase}
     * @param threads worker threads for parallel engines (ignored by sequential)
     */
    public static ExecutionEngine create(String name, int threads, TransactionVm vm) {
        return switch (name) {
            case "sequential" -> new SequentialEngine(vm);
            default -> throw new IllegalArgumentException("unknown engine '" + name + "' (expected one of " + NAMES + ")");
        };
    }
}
