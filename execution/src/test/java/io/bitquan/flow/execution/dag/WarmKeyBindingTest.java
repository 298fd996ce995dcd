package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.bench.EngineBench;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.generator.GeneratedChain;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.InMemoryStateStore;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Round 15, issue 11: the prediction pass's key binding hashes, warm, on one thread, checked
 * against BouncyCastle's BLAKE3 (not our own tuned path) for every transfer of every pass.
 *
 * <p>Why: with round 14's {@code AccountKeys} (since reverted: it did not pay), once C2
 * compiled {@code NativePrediction.of} (with
 * {@code KeyBinding}, {@link KeyHasher#hash} and {@code HashMap.get} inlined), every binding hash
 * came out as 32 zero bytes under the Parallel and Serial collectors (JDK 17.0.15 and 17.0.21
 * C2; not C1, not JDK 25; gone with {@code -XX:-UseLoopPredicate} or
 * {@code -XX:LoopUnrollLimit=0}): the eight little-endian int stores of {@code KeyHasher.hash}'s
 * copy loop into its fresh 32-byte result were lost. The hash state was right (its words held
 * the hash); nothing else touched the array; one thread. The VM then rejected the block
 * ("public key does not hash to the sender"). Stand-alone reproducer and evidence:
 * {@code docs/probes/C2ZeroHash.java}, docs/PERFORMANCE.md (round 15). KeyHasher now stores the
 * eight words without a loop. This test runs the prediction as a worker does (64-transaction chunks
 * in block order, a new {@link KeyHasher} per chunk) enough times for C2 to compile it, on the
 * bench's full-size transfer block; the module's suite runs it under G1, Serial and Parallel
 * (execution/pom.xml). With AccountKeys and KeyHasher's loop it failed under the Parallel
 * collector at pass 13 (7,595 of 10,000 hashes wrong); main's prediction shape does not trigger
 * the bug today, and {@link WarmHashPathsTest} holds KeyHasher in the trigger shape. No timing
 * is asserted.
 */
class WarmKeyBindingTest {
    /** Passes of the whole block: the failure showed from pass 2-30 in stand-alone runs. */
    private static final int PASSES = 80;
    private static final int CHUNK = 64;

    @Test
    void warmPredictionBindsEveryTransferToItsBlake3Hash() {
        GeneratedChain gen = EngineBench.NATIVE.chain(BenchWorkload.parse("transfer:10000"), 10_000, 42, SignatureScheme.ED25519);
        List<ChainEvent> events = gen.generateAll();
        InMemoryStateStore base = new InMemoryStateStore();
        try (SequentialEngine setup = new SequentialEngine(EngineBench.NATIVE.vm())) {
            ChainRunner runner = new ChainRunner(gen.config(), base, setup, new BlockPreparer(null));
            for (ChainEvent e : events.subList(0, events.size() - 1)) {
                runner.process(e);
            }
        }
        Block block = ((BlockConnected) events.get(events.size() - 1).getEvent()).getBlock();
        List<PreparedTx> txs = BlockPreparer.decode(block);
        int n = txs.size();
        byte[][] keys = new byte[n][];
        byte[][] expected = new byte[n][];
        int transfers = 0;
        for (int t = 0; t < n; t++) {
            if (txs.get(t).body() instanceof AccountTransfer transfer) {
                keys[t] = Bytes.of(transfer.getPublicKey());
                expected[t] = Blake3.xof(keys[t], Blake3.HASH_BYTES); // BouncyCastle's digest
                transfers++;
            }
        }
        assertThat(transfers).as("a transfer block").isGreaterThan(n / 2);
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(b -> b.getName()).collect(Collectors.joining(","));
        for (int pass = 0; pass < PASSES; pass++) {
            AccessDag.Prediction[] predicted = new AccessDag.Prediction[n];
            for (int from = 0; from < n; from += CHUNK) {
                assertThat(AccessDag.predict(txs, predicted, from, Math.min(n, from + CHUNK), base)).isTrue();
            }
            int wrong = 0;
            int first = -1;
            for (int t = 0; t < n; t++) {
                if (keys[t] == null) {
                    continue;
                }
                KeyBinding[] bindings = predicted[t].bindings();
                byte[] hash = bindings == null || bindings.length != 1 ? null : bindings[0].hashOf(keys[t]);
                if (!java.util.Arrays.equals(hash, expected[t])) {
                    wrong++;
                    first = first < 0 ? t : first;
                }
            }
            assertThat(wrong).as("pass %d: transfers whose binding hash is not BLAKE3 of their key (first: tx %d), collectors %s",
                    pass, first, collectors).isZero();
        }
    }
}
