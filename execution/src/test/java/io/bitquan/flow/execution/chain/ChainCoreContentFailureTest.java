package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.ExecutionEngine;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.testing.TestChain;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.model.state.StateView;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The core never throws on a block's content: a body that cannot be decoded, or an engine that
 * throws on it, is a rejected decision (not condemned, state unchanged); a broken store or engine
 * invariant (IllegalStateException) still fails loudly.
 */
class ChainCoreContentFailureTest {
    private final TestChain t = new TestChain();

    private Block valid() {
        return t.block(1, t.config.genesisId(), List.of(TestChain.coinbase(1, t.config.subsidy(1), t.keys[0].address()),
                t.transfer(1, t.keys[2].address(), 5, 1, 0)));
    }

    /** An engine that throws {@code failure} on the first block it sees, then behaves. */
    private static ExecutionEngine throwingOnce(RuntimeException failure) {
        ExecutionEngine real = new SequentialEngine(new ChainVm());
        return new ExecutionEngine() {
            private boolean thrown;

            @Override
            public BlockOutput execute(BlockContext context, List<PreparedTx> txs, StateView state) {
                if (!thrown) {
                    thrown = true;
                    throw failure;
                }
                return real.execute(context, txs, state);
            }

            @Override
            public String name() {
                return "throwing-once";
            }
        };
    }

    @Test
    void anUndecodableBodyIsRejectedAndTheSameHeaderStillApplies() {
        ChainRunner runner = new ChainRunner(t.config, new InMemoryStateStore(), new SequentialEngine(new ChainVm()),
                new BlockPreparer(null));
        byte[] genesisRoot = runner.stateRoot();
        Block block = valid();
        ChainCore core = coreOf(runner);
        BlockCandidate real = new BlockCandidate(block, new BlockPreparer(null), t.config);
        Candidate broken = new Candidate() {
            public BlockHeader header() {
                return real.header();
            }

            public byte[] headerId() {
                return real.headerId();
            }

            public int txCount() {
                return 2;
            }

            public PreparedBody body() {
                throw new IllegalArgumentException("truncated transaction bytes");
            }

            public byte[] payload() {
                return real.payload();
            }
        };
        List<ChainDecision> first = core.connect(broken);
        assertThat(first).singleElement().isInstanceOfSatisfying(ChainDecision.Rejected.class, r -> {
            assertThat(r.violation().rule()).isEqualTo(Rule.TX_MALFORMED);
            assertThat(r.condemned()).isFalse();
        });
        assertThat(runner.stateRoot()).isEqualTo(genesisRoot);
        assertThat(runner.connect(block).status()).isEqualTo(BlockReport.Status.CONNECTED);
    }

    @Test
    void anEngineThatThrowsOnTheContentGivesARejectedBlockAndChangesNothing() {
        ChainRunner runner = new ChainRunner(t.config, new InMemoryStateStore(),
                throwingOnce(new ArithmeticException("overflow in a contract")), new BlockPreparer(null));
        byte[] genesisRoot = runner.stateRoot();
        BlockReport r = runner.connect(valid());
        assertThat(r.violation().rule()).isEqualTo(Rule.TX_MALFORMED);
        assertThat(r.violation().getMessage()).contains("ArithmeticException");
        assertThat(runner.stateRoot()).isEqualTo(genesisRoot);
        assertThat(runner.tipHeight()).isZero();
        assertThat(runner.connect(valid()).status()).isEqualTo(BlockReport.Status.CONNECTED);
    }

    @Test
    void aBrokenInvariantStillFailsLoudly() {
        ChainRunner runner = new ChainRunner(t.config, new InMemoryStateStore(),
                throwingOnce(new IllegalStateException("store corrupted")), new BlockPreparer(null));
        assertThatThrownBy(() -> runner.connect(valid())).isInstanceOf(IllegalStateException.class);
    }

    private static ChainCore coreOf(ChainRunner runner) {
        return runner.core();
    }
}
