package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import org.junit.jupiter.api.Test;

/**
 * The cursor run's waiting record ({@link Waiters}), step by step on a graph of four
 * transactions: t0 writes A, t1 writes B, t2 writes A and B (waits for t0 and t1), t3 writes A
 * (waits for t2). A transaction blocks on its first unfinished predecessor; the finisher takes
 * the stack; a popped transaction still blocked moves to the next unfinished predecessor; a push
 * never lands on a finished transaction.
 */
class WaitersTest {
    private final StateKey a = StateKey.account(new byte[32]);
    private final StateKey b = StateKey.account(filled(1));

    private AccessDag graph() {
        AccessDag dag = AccessDag.of(new AccessDag.Prediction[] {
            AccessDagTest.write(a), AccessDagTest.write(b), AccessDagTest.write(a, b), AccessDagTest.write(a)},
                Shards.one());
        dag.link(4);
        return dag;
    }

    @Test
    void aBlockedTransactionMovesFromStackToStackUntilEveryPredecessorFinished() {
        AccessDag dag = graph();
        Waiters w = new Waiters(4);
        assertThat(w.blockOn(0, dag)).as("t0 has no predecessor").isFalse();
        assertThat(w.blockOn(1, dag)).isFalse();
        assertThat(w.blockOn(2, dag)).as("t2 waits for t0").isTrue();
        assertThat(w.blockOn(3, dag)).as("t3 waits for t2").isTrue();
        assertThat(w.finish(1)).as("nobody on t1's stack").isEqualTo(-1);
        int popped = w.finish(0);
        assertThat(popped).as("t2 was on t0's stack").isEqualTo(2);
        assertThat(w.next(popped)).isEqualTo(-1);
        assertThat(w.blockOn(2, dag)).as("t0 and t1 finished: t2 runs").isFalse();
        assertThat(w.finish(2)).isEqualTo(3);
        assertThat(w.blockOn(3, dag)).isFalse();
        assertThat(w.finish(3)).isEqualTo(-1);
        for (int t = 0; t < 4; t++) {
            assertThat(w.finished(t)).isTrue();
        }
    }

    @Test
    void aPoppedTransactionStillBlockedMovesToTheNextUnfinishedPredecessor() {
        AccessDag dag = graph();
        Waiters w = new Waiters(4);
        assertThat(w.blockOn(2, dag)).isTrue();
        assertThat(w.finish(0)).isEqualTo(2);
        assertThat(w.blockOn(2, dag)).as("t1 not finished: t2 moves onto its stack").isTrue();
        assertThat(w.finish(1)).isEqualTo(2);
        assertThat(w.blockOn(2, dag)).isFalse();
    }

    @Test
    void aStackHoldsEveryTransactionPushedOntoItNewestFirst() {
        StateKey k = StateKey.account(filled(2));
        AccessDag dag = AccessDag.of(new AccessDag.Prediction[] {
            AccessDagTest.write(k), AccessDagTest.read(k), AccessDagTest.read(k), AccessDagTest.read(k)}, Shards.one());
        dag.link(4);
        Waiters w = new Waiters(4);
        for (int t = 1; t < 4; t++) {
            assertThat(w.blockOn(t, dag)).isTrue();
        }
        int top = w.finish(0);
        assertThat(top).isEqualTo(3);
        assertThat(w.next(3)).isEqualTo(2);
        assertThat(w.next(2)).isEqualTo(1);
        assertThat(w.next(1)).isEqualTo(-1);
    }

    private static byte[] filled(int value) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }
}
