package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateWrite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * One highly contended block (transfers over 3 accounts) executed 10,000 times by 8 workers on
 * this 2-core machine, with random yields injected into every VM call and state access: exactly
 * one result, and it is the sequential one. Analyzer off, so workers speculate and abort freely.
 */
class DeterminismTest {
    static final int RUNS = 10_000;

    @Test
    void contendedBlockHasExactlyOneRootAcrossTenThousandOversubscribedRuns() {
        BlockFixtures block = BlockFixtures.firstBlock(GeneratorOptions.of(11, 1, 80, Workload.TRANSFER).withAccounts(3));
        ChainVm chainVm = new ChainVm();
        String expected = digest(new SequentialEngine(chainVm).execute(block.context(), block.txs(), block.base()));
        Set<String> roots = new HashSet<>();
        long aborts = 0;
        try (BlockStmEngine engine = new BlockStmEngine(yielding(chainVm), BlockStmOptions.strict(8, false))) {
            for (int i = 0; i < RUNS; i++) {
                BlockOutput out = engine.execute(block.context(), block.txs(), block.base());
                roots.add(digest(out));
                aborts += out.stats().aborts();
            }
        }
        assertThat(roots).containsExactly(expected);
        // The run must actually have been contended, or it proves nothing.
        assertThat(aborts).isPositive();
    }

    /**
     * The predicted schedule under the same abuse: a Zipf transfer block (chains on the hot
     * accounts, independent work beside them) run 10,000 times by 8 workers with random yields:
     * exactly one result, the sequential one, every run on the schedule (no abort, one execution
     * per transaction) and on more than one thread.
     */
    @Test
    void scheduledBlockHasExactlyOneRootAcrossTenThousandOversubscribedRuns() {
        BlockFixtures block = BlockFixtures.firstBlock(GeneratorOptions.of(12, 1, 80, Workload.TRANSFER).withAccounts(40));
        ChainVm chainVm = new ChainVm();
        String expected = digest(new SequentialEngine(chainVm).execute(block.context(), block.txs(), block.base()));
        Set<String> roots = new HashSet<>();
        Set<Thread> executing = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TransactionVm recording = (tx, ctx, state) -> {
            executing.add(Thread.currentThread());
            return chainVm.execute(tx, ctx, state);
        };
        try (BlockStmEngine engine = new BlockStmEngine(yielding(recording), BlockStmOptions.strict(8, false).withPredictedSchedule(true))) {
            for (int i = 0; i < RUNS; i++) {
                BlockOutput out = engine.execute(block.context(), block.txs(), block.base());
                roots.add(digest(out));
                assertThat(out.stats().aborts()).isZero();
                assertThat(out.stats().executions()).isEqualTo(block.txs().size());
            }
        }
        assertThat(roots).containsExactly(expected);
        assertThat(executing).as("threads that executed transactions").hasSizeGreaterThan(1);
    }

    /** Wraps the VM so that threads interleave at random points: before, between and after accesses. */
    static TransactionVm yielding(TransactionVm inner) {
        return (tx, ctx, state) -> {
            maybeYield();
            return inner.execute(tx, ctx, new StateAccess() {
                @Override
                public StateValue read(StateKey key) {
                    maybeYield();
                    StateValue v = state.read(key);
                    maybeYield();
                    return v;
                }

                @Override
                public void write(StateKey key, StateValue value) {
                    maybeYield();
                    state.write(key, value);
                }

                @Override
                public void credit(StateKey key, long amount) {
                    maybeYield();
                    state.credit(key, amount); // keep the engine's delta path in play
                }
            });
        };
    }

    private static void maybeYield() {
        if (ThreadLocalRandom.current().nextInt(4) == 0) {
            Thread.yield();
        }
    }

    /** SHA-256 over everything that identifies a result: writes, outcomes, fees, violation. */
    static String digest(BlockOutput out) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (StateWrite w : out.writes()) {
                md.update(w.key().encodedUnsafe());
                md.update(w.value() == null ? new byte[] {(byte) 0xFF} : w.value().encode());
            }
            for (String line : OutputAssertions.canonical(out)) {
                md.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
