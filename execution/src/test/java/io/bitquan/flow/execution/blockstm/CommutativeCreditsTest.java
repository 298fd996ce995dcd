package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.rules.PreparedTx;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Commutative credits on hot keys: a block whose transactions mostly credit three hot accounts,
 * sometimes read-modify-write them (a sender), and sometimes push a credit past MAX_MONEY. The
 * delta path (credits on) and the read-modify-write path (credits off) of Block-STM must both
 * equal the sequential engine byte for byte: values, receipts, and the rule, message and
 * position of the range violation, at 1, 2, 3, 8 and 16 threads.
 */
class CommutativeCreditsTest {

    private static final StateKey[] HOT = {account(1), account(2), account(3)};

    private static StateKey account(int id) {
        byte[] a = new byte[32];
        a[0] = (byte) id;
        return StateKey.account(a);
    }

    /**
     * Transaction {@code i}: every {@code readEvery}-th one reads a hot account and writes it back
     * halved with its nonce bumped (a sender); the others credit one or two hot accounts, with
     * amounts scaled so that {@code big} blocks cross MAX_MONEY somewhere.
     */
    private static TransactionVm hotCredits(int readEvery, boolean big) {
        return (tx, block, state) -> {
            int i = tx.index();
            StateKey key = HOT[i % HOT.length];
            if (i % readEvery == 0) {
                AccountState a = AccountRules.read(state, key);
                state.write(key, new AccountState(a.balance() / 2, a.nonce() + 1));
            } else {
                long amount = big ? ChainConfig.MAX_MONEY / 7 + i : 1000L + i;
                state.credit(key, amount);
                if (i % 3 == 0) {
                    state.credit(HOT[(i + 1) % HOT.length], amount / 2);
                    state.credit(key, 5); // a second credit to the same key inside one transaction
                }
            }
            return TxOutcome.ok(1);
        };
    }

    @Property(tries = 60)
    void deltaAndReadModifyWritePathsEqualSequential(@ForAll @LongRange(min = 1, max = 100_000) long seed,
                                                      @ForAll @IntRange(min = 2, max = 9) int readEvery,
                                                      @ForAll boolean big,
                                                      @ForAll("threadCounts") int threads) {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(seed, 1, 200, Workload.TRANSFER).withAccounts(50));
        TransactionVm vm = hotCredits(readEvery, big);
        // Without the coinbase: this VM's fees are not the generator's, so its claim would not hold.
        List<PreparedTx> txs = b.txs().subList(1, b.txs().size());
        BlockOutput expected = new SequentialEngine(vm).execute(b.context(), txs, b.base());
        if (big && readEvery % 3 == 0) {
            // Only HOT[0] is ever read and halved; the other two only grow, by MAX_MONEY / 7.
            assertThat(expected.accepted()).as("the big variant must cross MAX_MONEY").isFalse();
            assertThat(expected.violation().rule()).isEqualTo(Rule.AMOUNT_RANGE);
        }
        for (boolean credits : new boolean[] {true, false}) {
            BlockStmOptions options = BlockStmOptions.strict(threads, false).withCommutativeCredits(credits);
            try (BlockStmEngine engine = new BlockStmEngine(vm, options)) {
                for (int rep = 0; rep < 3; rep++) {
                    BlockOutput out = engine.execute(b.context(), txs, b.base());
                    OutputAssertions.assertSameResult(out, expected, "credits=" + credits + " threads=" + threads);
                }
            }
        }
    }

    @Provide
    Arbitrary<Integer> threadCounts() {
        return Arbitraries.of(1, 2, 3, 8, 16);
    }
}
