package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.blockstm.BlockStmEngine;
import io.bitquan.flow.execution.blockstm.BlockStmOptions;
import io.bitquan.flow.execution.blockstm.OutputAssertions;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.ForwardingStateAccess;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.StateAccess;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Keys built once per block (round 9): the rules ask the scheduled view for their keys and get
 * the prediction's instances, proved equal on the bytes the rules build them from. The
 * sequential result at 1, 2, 3, 8 and 16 workers with the keys handed (and counted: the VM
 * really got them); a prediction whose key differs from the one the VM needs in one byte
 * anywhere (inside or after the prefix the view rejects by), in the output index, or in the
 * kind, is never handed and voids the run, and through the engine ends in the sequential
 * result; a stop raised mid-run ends every worker.
 */
class HandedKeysTest {
    private static final int[] WORKERS = {1, 2, 3, 8, 16};
    private final ChainVm vm = new ChainVm();

    /** The VM, keeping every key the view gave the rules (each checked equal to the one the rules would build). */
    private static TransactionVm recording(TransactionVm inner, Queue<StateKey> given) {
        return (tx, block, state) -> inner.execute(tx, block, new ForwardingStateAccess(state) {
            @Override
            public StateKey accountKey(byte[] address) {
                return keep(super.accountKey(address), StateKey.account(address));
            }

            @Override
            public StateKey utxoKey(byte[] txId, int index) {
                return keep(super.utxoKey(txId, index), StateKey.utxo(txId, index));
            }

            private StateKey keep(StateKey got, StateKey built) {
                if (!got.equals(built)) {
                    throw new AssertionError("handed " + got + " for " + built);
                }
                given.add(got);
                return got;
            }
        });
    }

    @Test
    void handedKeysGiveTheSequentialResultAtEveryWorkerCount() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(121, 1, 600, Workload.TRANSFER).withAccounts(20),
                GeneratorOptions.of(122, 1, 600, Workload.UTXO_CHAINED),
                GeneratorOptions.of(123, 1, 700, Workload.MIXED).withAccounts(50),
                GeneratorOptions.of(124, 1, 500, Workload.TRANSFER).withAccounts(30).withInvalidEvery(97)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            for (int workers : WORKERS) {
                try (WorkerPool pool = new WorkerPool(workers)) {
                    String what = options.workload().id() + " x" + workers;
                    Queue<StateKey> given = new ConcurrentLinkedQueue<>();
                    PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), recording(vm, given), workers);
                    pool.run(workers, run::work);
                    assertThat(run.mispredicted()).as(what).isFalse();
                    OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                    // every key the rules asked for was the graph's own instance (built once, by the prediction)
                    Set<StateKey> interned = Collections.newSetFromMap(new IdentityHashMap<>());
                    for (int id = 0; id < run.dag().keyCount(); id++) {
                        interned.add(run.dag().keys.key(id));
                    }
                    assertThat(given).as(what).isNotEmpty();
                    assertThat(given).as(what).allMatch(interned::contains);
                }
            }
        }
    }

    /** A key that differs from {@code key} in one byte of its encoding (or in its kind). */
    private static StateKey nearMiss(StateKey key, int at) {
        byte[] e = key.encoded();
        e[at] ^= 0x01;
        return StateKey.decode(e);
    }

    /**
     * The block's own predictions with transaction {@code t}'s key {@code i} replaced, run on
     * the graph they give: the VM needs the real key, which the view must not find.
     */
    private static DagRun runWithWrongKey(BlockFixtures b, TransactionVm vm, int t, UnaryOperator<StateKey> wrong, int workers) {
        int n = b.txs().size();
        AccessDag.Prediction[] p = new AccessDag.Prediction[n];
        assertThat(AccessDag.predict(b.txs(), p, 0, n)).isTrue();
        StateKey[] keys = p[t].keys().clone();
        keys[0] = wrong.apply(keys[0]);
        keys[0].hashCode();
        p[t] = new AccessDag.Prediction(keys, p[t].writes());
        return new DagRun(AccessDag.of(p), b.context(), b.txs(), b.base(), vm, workers);
    }

    @Test
    void aPredictedKeyThatDiffersFromTheNeededOneIsNeverHanded() {
        BlockFixtures transfers = BlockFixtures.firstBlock(GeneratorOptions.of(125, 1, 500, Workload.TRANSFER).withAccounts(40));
        BlockFixtures utxos = BlockFixtures.firstBlock(GeneratorOptions.of(126, 1, 400, Workload.UTXO));
        int t = 300;
        assertThat(transfers.txs().get(t).body()).isInstanceOf(AccountTransfer.class);
        assertThat(utxos.txs().get(t).body()).isInstanceOf(UtxoTransfer.class);
        record Case(String what, BlockFixtures block, UnaryOperator<StateKey> wrong) {}
        Case[] cases = {
                new Case("sender, last address byte", transfers, k -> nearMiss(k, 32)),
                new Case("sender, a byte inside the prefix", transfers, k -> nearMiss(k, 3)),
                new Case("sender, first byte after the prefix", transfers, k -> nearMiss(k, 8)),
                new Case("sender as a code key", transfers, k -> StateKey.code(k.owner())),
                new Case("input, output index", utxos, k -> nearMiss(k, 36)),
                new Case("input, txid byte", utxos, k -> nearMiss(k, 20))};
        for (Case c : cases) {
            BlockOutput expected = new SequentialEngine(vm).execute(c.block().context(), c.block().txs(), c.block().base());
            for (int workers : WORKERS) {
                String what = c.what() + " x" + workers;
                AtomicReference<StateKey> seen = new AtomicReference<>();
                PreparedTx target = c.block().txs().get(t);
                TransactionVm watching = (tx, block, state) -> {
                    if (tx == target) {
                        // the view's answer for the key the rules need first: never the wrong prediction's
                        seen.set(firstKey(tx, state));
                    }
                    return vm.execute(tx, block, state);
                };
                try (WorkerPool pool = new WorkerPool(workers)) {
                    DagRun run = runWithWrongKey(c.block(), watching, t, c.wrong(), workers);
                    pool.run(workers, run::work);
                    assertThat(run.mispredicted()).as(what).isTrue();
                    assertThat(run.executions()).as(what).isLessThan(c.block().txs().size());
                    StateKey needed = firstKey(target, null);
                    if (seen.get() != null) {
                        assertThat(seen.get()).as(what).isEqualTo(needed);
                    }
                }
                // the engine: a VM that needs, besides its predicted keys, the near miss of one of them.
                // Handed the predicted key instead, its effect would land on that key and the result
                // would differ; not handed, the run is void, goes optimistic, and gives the sequential result.
                TransactionVm needsNearMiss = needsNearMiss(target, c.wrong());
                BlockOutput expectedNear = new SequentialEngine(needsNearMiss).execute(c.block().context(), c.block().txs(), c.block().base());
                try (BlockStmEngine engine = new BlockStmEngine(needsNearMiss, BlockStmOptions.strict(workers, true).withPredictedSchedule(true))) {
                    OutputAssertions.assertSameResult(
                            engine.execute(c.block().context(), c.block().txs(), c.block().base()), expectedNear, what + " engine");
                }
                try (WorkerPool pool = new WorkerPool(workers)) {
                    PredictedRun run = new PredictedRun(c.block().context(), c.block().txs(), c.block().base(), needsNearMiss, workers);
                    pool.run(workers, run::work);
                    assertThat(run.mispredicted()).as(what + " near miss").isTrue();
                }
            }
        }
    }

    /**
     * The VM, and for {@code target} also an effect on the near miss of its first key: an
     * account is credited 1, a UTXO read (absent: a violation if it reads as present).
     */
    private TransactionVm needsNearMiss(PreparedTx target, UnaryOperator<StateKey> wrong) {
        return (tx, block, state) -> {
            if (tx == target) {
                StateKey near = wrong.apply(firstKey(tx, null));
                byte[] owner = near.owner();
                if (near.kind() == StateKey.Kind.ACCOUNT) {
                    state.credit(state.accountKey(owner), 1);
                } else if (near.kind() == StateKey.Kind.UTXO) {
                    int index = (int) java.nio.ByteBuffer.wrap(near.encodedUnsafe(), 33, 4).getInt();
                    if (state.read(state.utxoKey(owner, index)) != null) {
                        throw new RuleViolation(Rule.UTXO_OUTPUT_EXISTS, "near miss present");
                    }
                } else {
                    state.read(near); // a code key: read as the VM of a contract would
                }
            }
            return vm.execute(tx, block, state);
        };
    }

    /** The first key the rules ask for (the sender's account, or the first input), from the view when given one. */
    private static StateKey firstKey(PreparedTx tx, StateAccess state) {
        if (tx.body() instanceof AccountTransfer a) {
            byte[] sender = Bytes.of(a.getSender());
            return state == null ? StateKey.account(sender) : state.accountKey(sender);
        }
        UtxoTransfer u = (UtxoTransfer) tx.body();
        byte[] prev = Bytes.of(u.getInputs().get(0).getPrevTxId());
        int index = u.getInputs().get(0).getPrevIndex();
        return state == null ? StateKey.utxo(prev, index) : state.utxoKey(prev, index);
    }

    @Test
    void theViewHandsItsOwnInstanceOnlyForAnEqualKey() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(127, 1, 50, Workload.TRANSFER).withAccounts(10));
        AccessDag dag = AccessDag.build(b.txs());
        ScheduledView view = new ScheduledView(null, dag);
        int t = 7;
        view.aimAt(t);
        AccountTransfer a = (AccountTransfer) b.txs().get(t).body();
        byte[] sender = Bytes.of(a.getSender());
        StateKey interned = dag.keys.key(dag.accessKey[dag.accessStart[t]]);
        assertThat(view.accountKey(sender)).isSameAs(interned);
        byte[] other = sender.clone();
        other[31] ^= 1;
        StateKey built = view.accountKey(other);
        assertThat(built).isEqualTo(StateKey.account(other)).isNotSameAs(interned);
        assertThat(view.utxoKey(sender, 0)).isEqualTo(StateKey.utxo(sender, 0)).isNotSameAs(interned); // same bytes, other kind
        view.aimAt(t + 1); // another transaction's keys are not this one's
        if (!dag.keys.key(dag.accessKey[dag.accessStart[t + 1]]).equals(interned)
                && !(dag.accessStart[t + 2] - dag.accessStart[t + 1] > 1 && dag.keys.key(dag.accessKey[dag.accessStart[t + 1] + 1]).equals(interned))) {
            assertThat(view.accountKey(sender)).isNotSameAs(interned);
        }
    }

    @Test
    void aStopRaisedMidRunEndsEveryWorker() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(128, 1, 800, Workload.MIXED).withAccounts(40));
        StopMidRun.assertEndsEveryWorker(b, vm, 300, WORKERS, (stopping, pool, workers) -> {
            PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), stopping, workers);
            return new StopMidRun.Run(run::work, run::executions);
        });
    }
}
