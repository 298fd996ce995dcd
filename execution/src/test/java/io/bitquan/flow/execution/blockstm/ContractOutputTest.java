package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StorageValue;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Contract-like blocks without access lists (the optimistic run, as token/10000 takes it) against
 * the sequential engine at 1, 2, 3, 8 and 16 workers with the fallback off: every call reads one
 * contract's code key (a hot key read by all, written by one call mid-block) and moves a balance between two
 * storage slots, a few hot (aborts, re-executions, ESTIMATEs) and many cold (the keys spread over
 * the whole key order, so the output's key ranges ({@link RangeOutput}, round 20) are all used); a
 * call whose sender slot is short fails with a failed receipt and writes nothing (speculative
 * failures that re-execution may undo), and one variant breaks a rule at a fixed transaction (the
 * block is rejected there, as in order). The differential property tests cover the native VM;
 * this is the storage-heavy shape of the contract workloads, whose VM lives in the {@code wasm} module.
 */
class ContractOutputTest {
    private static final byte[] CONTRACT = new byte[StateKey.ADDRESS_BYTES];
    private static final StateKey CODE;
    private static final int HOT = 6;
    private static final long START = 40;
    /**
     * The call that rewrites the code key (an upgrade): the calls above it move three times as
     * much, so a reader above that missed the write gives a different block. Until then the code
     * key is read by every call and written by none: its reader mark ({@link VersionChain#noteReader})
     * is what makes the upgrade a new location that the calls above it must validate again.
     */
    private static final int UPGRADE_AT = 1_100;

    static {
        CONTRACT[0] = 7;
        CODE = StateKey.code(CONTRACT);
    }

    @Test
    void storageCallsOverHotAndColdSlotsGiveTheSequentialResult() {
        check(-1);
    }

    @Test
    void aRuleBrokenMidBlockRejectsItWhereSequentialDoes() {
        check(700);
    }

    private static void check(int breaksAt) {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(31, 1, 1_601, Workload.UTXO));
        List<PreparedTx> calls = b.txs().subList(1, b.txs().size()); // no coinbase: the calls charge no fee
        assertThat(calls.size()).isGreaterThan(4 * BlockRun.OUTPUT_CHUNK_TXS);
        TransactionVm vm = tokenVm(breaksAt);
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), calls, b.base());
        if (breaksAt < 0) {
            assertThat(expected.accepted()).isTrue();
            assertThat(expected.writes()).hasSizeGreaterThan(1_000);
            assertThat(expected.outcomes()).anyMatch(o -> !o.success()).anyMatch(TxOutcome::success);
        } else {
            assertThat(expected.accepted()).isFalse();
        }
        for (int threads : new int[] {1, 2, 3, 8, 16}) {
            BlockStmOptions options = BlockStmOptions.strict(threads, false);
            assertThat(options.contentionFallback()).isFalse();
            try (BlockStmEngine engine = new BlockStmEngine(vm, options)) {
                for (int rep = 0; rep < 3; rep++) {
                    BlockOutput out = engine.execute(b.context(), calls, b.base());
                    OutputAssertions.assertSameResult(out, expected, "x" + threads + " rep " + rep + " breaksAt " + breaksAt);
                    assertThat(out.stats().fallbacks()).isZero();
                }
            }
        }
    }

    /**
     * A token contract in Java: reads the code key (one call rewrites it), then moves 1..16 units
     * (times the code's factor) from one slot to another (a quarter of the calls between
     * {@link #HOT} hot holders); a missing slot holds {@link #START}.
     * Deterministic in the transaction id and the values read.
     */
    private static TransactionVm tokenVm(int breaksAt) {
        return (tx, block, state) -> {
            StateValue code = state.read(CODE);
            if (tx.index() == UPGRADE_AT) {
                state.write(CODE, value(3));
            }
            byte[] id = tx.txId();
            boolean hot = (id[0] & 3) == 0;
            StateKey from = slot(hot ? (id[1] & 0xFF) % HOT : 1_000 + tx.index());
            StateKey to = slot(hot ? (id[2] & 0xFF) % HOT : 100_000 + (id[3] & 0xFF) * 64 + (id[4] & 63));
            long amount = (1 + (id[5] & 15)) * (code == null ? 1 : balance(code));
            if (tx.index() == breaksAt) {
                throw new RuleViolation(Rule.CONTRACT_INVALID, "tx " + tx.index() + " breaks the test's rule");
            }
            long have = balance(state.read(from));
            if (have < amount) {
                return new TxOutcome(0, 1, false, "insufficient", List.of());
            }
            state.write(from, value(have - amount));
            state.write(to, value(balance(state.read(to)) + amount));
            return TxOutcome.ok(0);
        };
    }

    /** Holder {@code h}'s balance slot; the slot bytes spread the holders over the key order. */
    private static StateKey slot(int holder) {
        byte[] s = new byte[32];
        long mixed = holder * 0x9E3779B97F4A7C15L;
        ByteBuffer.wrap(s).putLong(mixed).putInt(holder);
        return StateKey.storage(CONTRACT, s);
    }

    private static long balance(StateValue v) {
        return v == null ? START : ByteBuffer.wrap(((StorageValue) v).data()).getLong();
    }

    private static StateValue value(long balance) {
        return new StorageValue(ByteBuffer.allocate(8).putLong(balance).array());
    }
}
