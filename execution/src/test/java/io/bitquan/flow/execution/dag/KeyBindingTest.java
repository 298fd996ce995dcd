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
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * The key binding hash made in the prediction pass (round 10): the rules' BLAKE3 of a presented
 * public key (a transfer's, a listed contract call's; a spend's input keys are not bound) is
 * handed by the scheduled view only for bytes equal to those the prediction hashed, else hashed
 * as before. The sequential result (violation, message, receipts, writes)
 * at 1, 2, 3, 8 and 16 workers, with the hashes really handed; a transfer whose key does not
 * hash to its sender and spends whose input keys do not match the lock give the same violation
 * at the same transaction; a prediction holding a binding for other bytes (one that would make
 * a wrong key pass, or a right key fail) is never used; a stop raised mid-run ends every worker.
 */
class KeyBindingTest {
    private static final int[] WORKERS = {1, 2, 3, 8, 16};
    private final ChainVm vm = new ChainVm();

    /** One call of the rules' publicKeyHash: the transaction, the bytes presented and the hash the view returned. */
    private record Asked(PreparedTx tx, byte[] publicKey, byte[] hash) {}

    /** The VM, recording what the view answered for each public key (and checking it is the key's hash). */
    private static TransactionVm recording(TransactionVm inner, Queue<Asked> asked) {
        return (tx, block, state) -> inner.execute(tx, block, new ForwardingStateAccess(state) {
            @Override
            public byte[] publicKeyHash(byte[] publicKey) {
                byte[] hash = super.publicKeyHash(publicKey);
                if (!java.util.Arrays.equals(hash, Blake3.hash(publicKey))) {
                    throw new AssertionError("handed a hash that is not the key's");
                }
                asked.add(new Asked(tx, publicKey, hash));
                return hash;
            }
        });
    }

    /** The block with {@code txs[t]}'s public key (a transfer's, or input {@code input}'s of a spend) changed in one bit. */
    private static List<PreparedTx> withWrongKey(List<PreparedTx> txs, int t, int input) {
        PreparedTx ptx = txs.get(t);
        Object body;
        if (ptx.body() instanceof AccountTransfer a) {
            body = AccountTransfer.newBuilder(a).setPublicKey(flipped(a.getPublicKey())).build();
        } else {
            UtxoTransfer u = (UtxoTransfer) ptx.body();
            List<TxInput> inputs = new ArrayList<>(u.getInputs());
            inputs.set(input, TxInput.newBuilder(inputs.get(input)).setPublicKey(flipped(inputs.get(input).getPublicKey())).build());
            body = UtxoTransfer.newBuilder(u).setInputs(inputs).build();
        }
        List<PreparedTx> out = new ArrayList<>(txs);
        out.set(t, new PreparedTx(t, Transaction.newBuilder(ptx.tx()).setBody(body).build(), ptx.txId(), ptx.txHash()));
        return out;
    }

    private static ByteBuffer flipped(ByteBuffer key) {
        byte[] bytes = Bytes.of(key);
        bytes[bytes.length - 1] ^= 1;
        return ByteBuffer.wrap(bytes);
    }

    private BlockOutput scheduled(BlockFixtures b, List<PreparedTx> txs, TransactionVm vm, int workers, String what) {
        try (WorkerPool pool = new WorkerPool(workers)) {
            PredictedRun run = new PredictedRun(b.context(), txs, b.base(), vm, workers);
            pool.run(workers, run::work);
            assertThat(run.mispredicted()).as(what).isFalse();
            return run.collect(pool, workers);
        }
    }

    @Test
    void handedHashesGiveTheSequentialResultAtEveryWorkerCount() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(131, 1, 600, Workload.TRANSFER).withAccounts(20),
                GeneratorOptions.of(132, 1, 600, Workload.UTXO),
                GeneratorOptions.of(133, 1, 600, Workload.UTXO_CHAINED),
                GeneratorOptions.of(134, 1, 700, Workload.MIXED).withAccounts(50)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), b.txs(), b.base());
            assertThat(expected.accepted()).isTrue();
            for (int workers : WORKERS) {
                String what = options.workload().id() + " x" + workers;
                Queue<Asked> asked = new ConcurrentLinkedQueue<>();
                try (WorkerPool pool = new WorkerPool(workers)) {
                    PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), recording(vm, asked), workers);
                    pool.run(workers, run::work);
                    assertThat(run.mispredicted()).as(what).isFalse();
                    OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                    // a transfer's hash is the very array the prediction made for these bytes (handed, not
                    // re-made); a spend's keys are not bound (measured: not worth it) and the view hashes them
                    assertThat(asked).as(what).isNotEmpty();
                    for (Asked a : asked) {
                        if (a.tx().body() instanceof AccountTransfer) {
                            assertThat(handedFor(run.dag(), a)).as(what + " tx " + a.tx().index()).isSameAs(a.hash());
                        } else {
                            assertThat(run.dag().bindings(a.tx().index())).as(what + " tx " + a.tx().index()).isNull();
                        }
                    }
                }
            }
        }
    }

    /** The hash the prediction made for the asked bytes of that transaction (null if it has none). */
    private static byte[] handedFor(AccessDag dag, Asked a) {
        KeyBinding[] bindings = dag.bindings(a.tx().index());
        for (KeyBinding binding : bindings == null ? new KeyBinding[0] : bindings) {
            byte[] hash = binding.hashOf(a.publicKey());
            if (hash != null) {
                return hash;
            }
        }
        return null;
    }

    @Test
    void wrongKeysGiveTheSequentialViolationAtEveryWorkerCount() {
        BlockFixtures transfers = BlockFixtures.firstBlock(GeneratorOptions.of(135, 1, 500, Workload.TRANSFER).withAccounts(30));
        BlockFixtures utxos = BlockFixtures.firstBlock(GeneratorOptions.of(136, 1, 500, Workload.UTXO));
        BlockFixtures mixed = BlockFixtures.firstBlock(GeneratorOptions.of(137, 1, 500, Workload.MIXED).withAccounts(40));
        int spend = firstSpendWithInputs(utxos.txs(), 2);
        record Case(String what, BlockFixtures block, List<PreparedTx> txs, Rule rule, int tx) {}
        List<Case> cases = new ArrayList<>(List.of(
                new Case("transfer key not the sender's", transfers, withWrongKey(transfers.txs(), 311, 0), Rule.ACCOUNT_KEY_MISMATCH, 311),
                new Case("spend, first input's key", utxos, withWrongKey(utxos.txs(), 250, 0), Rule.UTXO_LOCK_MISMATCH, 250),
                new Case("mixed, a transfer's key", mixed, withWrongKey(mixed.txs(), first(mixed.txs(), AccountTransfer.class), 0),
                        Rule.ACCOUNT_KEY_MISMATCH, first(mixed.txs(), AccountTransfer.class)),
                new Case("mixed, a spend's key", mixed, withWrongKey(mixed.txs(), first(mixed.txs(), UtxoTransfer.class), 0),
                        Rule.UTXO_LOCK_MISMATCH, first(mixed.txs(), UtxoTransfer.class))));
        if (spend >= 0) {
            int last = ((UtxoTransfer) utxos.txs().get(spend).body()).getInputs().size() - 1;
            cases.add(new Case("spend, last input's key", utxos, withWrongKey(utxos.txs(), spend, last), Rule.UTXO_LOCK_MISMATCH, spend));
        }
        for (Case c : cases) {
            BlockOutput expected = new SequentialEngine(vm).execute(c.block().context(), c.txs(), c.block().base());
            assertThat(expected.accepted()).as(c.what()).isFalse();
            assertThat(expected.violationTx()).as(c.what()).isEqualTo(c.tx());
            assertThat(expected.violation().rule()).as(c.what()).isEqualTo(c.rule());
            for (int workers : WORKERS) {
                String what = c.what() + " x" + workers;
                OutputAssertions.assertSameResult(scheduled(c.block(), c.txs(), vm, workers, what), expected, what);
                try (BlockStmEngine engine = new BlockStmEngine(vm, BlockStmOptions.strict(workers, true).withPredictedSchedule(true))) {
                    OutputAssertions.assertSameResult(engine.execute(c.block().context(), c.txs(), c.block().base()), expected, what + " engine");
                }
            }
        }
    }

    /** The first transaction of that kind from position 200 (well inside the block: earlier ones ran before it). */
    private static int first(List<PreparedTx> txs, Class<?> kind) {
        for (int t = 200; t < txs.size(); t++) {
            if (kind.isInstance(txs.get(t).body())) {
                return t;
            }
        }
        throw new AssertionError("no " + kind.getSimpleName());
    }

    private static int firstSpendWithInputs(List<PreparedTx> txs, int inputs) {
        for (int t = 100; t < txs.size(); t++) {
            if (txs.get(t).body() instanceof UtxoTransfer u && u.getInputs().size() >= inputs) {
                return t;
            }
        }
        return -1;
    }

    /**
     * The block's own predictions with transaction {@code t}'s binding replaced by one made from
     * {@code publicKey}: a binding for other bytes than the transaction presents.
     */
    private static DagRun runWithBinding(BlockFixtures b, List<PreparedTx> txs, TransactionVm vm, int t, byte[] publicKey, int workers) {
        int n = txs.size();
        AccessDag.Prediction[] p = new AccessDag.Prediction[n];
        assertThat(AccessDag.predict(txs, p, 0, n)).isTrue();
        p[t] = new AccessDag.Prediction(p[t].keys(), p[t].writes(), p[t].ascendingFrom(), new KeyBinding[] {new KeyBinding(publicKey)});
        return new DagRun(AccessDag.of(p), b.context(), txs, b.base(), vm, workers);
    }

    @Test
    void aBindingForOtherBytesIsNeverUsed() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(138, 1, 500, Workload.TRANSFER).withAccounts(30));
        int t = 280;
        AccountTransfer real = (AccountTransfer) b.txs().get(t).body();
        byte[] ownersKey = Bytes.of(real.getPublicKey());
        List<PreparedTx> wrongKey = withWrongKey(b.txs(), t, 0);
        byte[] presented = Bytes.of(((AccountTransfer) wrongKey.get(t).body()).getPublicKey());
        record Case(String what, List<PreparedTx> txs, byte[] bound) {}
        Case[] cases = {
                // handed, the owner's hash would let a key that does not hash to the sender pass
                new Case("wrong key presented, owner's key bound", wrongKey, ownersKey),
                // handed, another key's hash would reject the owner's own key
                new Case("owner's key presented, a wrong key bound", b.txs(), presented),
                new Case("owner's key presented, a shorter key bound", b.txs(), java.util.Arrays.copyOf(ownersKey, 31)),
                new Case("owner's key presented, a longer key bound", b.txs(), java.util.Arrays.copyOf(ownersKey, 33))};
        for (Case c : cases) {
            BlockOutput expected = new SequentialEngine(vm).execute(b.context(), c.txs(), b.base());
            for (int workers : WORKERS) {
                String what = c.what() + " x" + workers;
                try (WorkerPool pool = new WorkerPool(workers)) {
                    DagRun run = runWithBinding(b, c.txs(), vm, t, c.bound(), workers);
                    pool.run(workers, run::work);
                    assertThat(run.mispredicted()).as(what).isFalse();
                    OutputAssertions.assertSameResult(run.collect(pool, workers), expected, what);
                }
            }
        }
        assertThat(new SequentialEngine(vm).execute(b.context(), wrongKey, b.base()).violation().getMessage())
                .isEqualTo("tx " + t + " public key does not hash to the sender");
    }

    @Test
    void theViewHandsTheBoundHashOnlyForEqualBytes() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(139, 1, 50, Workload.TRANSFER).withAccounts(10));
        AccessDag dag = AccessDag.build(b.txs());
        ScheduledView view = new ScheduledView(null, dag);
        int t = 7;
        view.aimAt(t);
        byte[] key = Bytes.of(((AccountTransfer) b.txs().get(t).body()).getPublicKey());
        byte[] bound = dag.bindings(t)[0].hashOf(key);
        assertThat(bound).isEqualTo(Blake3.hash(key));
        assertThat(view.publicKeyHash(key.clone())).isSameAs(bound); // equal bytes, another array: handed
        for (int at : new int[] {0, 15, key.length - 1}) {
            byte[] other = key.clone();
            other[at] ^= (byte) 0x80;
            assertThat(view.publicKeyHash(other)).as("byte %d", at).isEqualTo(Blake3.hash(other)).isNotSameAs(bound);
        }
        assertThat(view.publicKeyHash(java.util.Arrays.copyOf(key, key.length + 1))).isNotSameAs(bound);
        byte[] next = Bytes.of(((AccountTransfer) b.txs().get(t + 1).body()).getPublicKey());
        view.aimAt(t + 1); // another transaction's binding is not this one's
        if (!java.util.Arrays.equals(next, key)) {
            assertThat(view.publicKeyHash(key)).isEqualTo(Blake3.hash(key)).isNotSameAs(bound);
        }
    }

    /** A contract call with a declared access list: its fee's key binding is hashed by the prediction as a transfer's. */
    @Test
    void aListedContractCallsKeyIsBoundToo() {
        byte[] publicKey = new byte[32];
        java.util.Arrays.fill(publicKey, (byte) 5);
        byte[] contract = new byte[32];
        java.util.Arrays.fill(contract, (byte) 2);
        io.bitquan.flow.model.avro.ContractCall call = io.bitquan.flow.model.avro.ContractCall.newBuilder()
                .setSender(ByteBuffer.wrap(Blake3.hash(publicKey))).setPublicKey(ByteBuffer.wrap(publicKey))
                .setContract(ByteBuffer.wrap(contract)).setMethod("transfer").setArgs(ByteBuffer.wrap(new byte[0]))
                .setValue(0).setGasLimit(100_000).setFee(1_000).setNonce(0)
                .setAccessList(List.of(ByteBuffer.wrap(StateKey.storage(contract, publicKey).encoded())))
                .setSignature(ByteBuffer.wrap(new byte[64])).build();
        List<PreparedTx> txs = List.of(PreparedTx.of(0, new Transaction(call)));
        AccessDag dag = AccessDag.build(txs);
        assertThat(dag).isNotNull();
        ScheduledView view = new ScheduledView(null, dag);
        view.aimAt(0);
        byte[] bound = dag.bindings(0)[0].hashOf(publicKey);
        assertThat(bound).isEqualTo(Blake3.hash(publicKey));
        assertThat(view.publicKeyHash(publicKey.clone())).isSameAs(bound);
        byte[] other = publicKey.clone();
        other[0] = 6;
        assertThat(view.publicKeyHash(other)).isEqualTo(Blake3.hash(other)).isNotSameAs(bound);
    }

    @Test
    void aStopRaisedMidRunEndsEveryWorker() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(140, 1, 800, Workload.TRANSFER).withAccounts(40));
        StopMidRun.assertEndsEveryWorker(b, vm, 300, WORKERS, (stopping, pool, workers) -> {
            PredictedRun run = new PredictedRun(b.context(), b.txs(), b.base(), stopping, workers);
            return new StopMidRun.Run(run::work, run::executions);
        });
    }
}
