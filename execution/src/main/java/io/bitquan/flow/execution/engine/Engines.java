package io.bitquan.flow.execution.engine;

import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.twophase.TwoPhaseEngine;
import io.bitquan.flow.execution.vm.TransactionVm;
import java.util.List;

/** Creates engines by their command-line names. */
public final class Engines {
    /** Names accepted by {@code --engine}. */
    public static final List<String> NAMES = List.of("sequential", "block-stm", "two-phase");

    private Engines() {}

    /**
     * @param name    {@code sequential}, {@code block-stm} or {@code two-phase}
     * @param threads worker threads for parallel engines (ignored by sequential); block-stm runs
     *                with {@link BlockStmOptions#defaults(int)} (serial threshold, contention and
     *                error fallbacks on; analyzer waits off)
     */
    public static ExecutionEngine create(String name, int threads, TransactionVm vm) {
        return switch (name) {
            case "sequential" -> new SequentialEngine(vm);
            case "block-stm" -> new BlockStmEngine(vm, BlockStmOptions.defaults(threads));
            case "two-phase" -> new TwoPhaseEngine(vm, threads, true);
            default -> throw new IllegalArgumentException("unknown engine '" + name + "' (expected one of " + NAMES + ")");
        };
    }

    /**
     * The same engines with every shortcut and safety net off (no serial threshold, no contention
     * or sequential fallback; block-stm on the predicted schedule where it applies, as a node runs
     * it, and optimistically otherwise): what tests use, so each block really runs the parallel path and a
     * bug surfaces as a failure instead of being hidden by a fallback.
     */
    public static ExecutionEngine createStrict(String name, int threads, TransactionVm vm) {
        return switch (name) {
            case "block-stm" -> new BlockStmEngine(vm, BlockStmOptions.strict(threads, true).withPredictedSchedule(true));
            case "two-phase" -> new TwoPhaseEngine(vm, threads, false);
            default -> create(name, threads, vm);
        };
    }
}
