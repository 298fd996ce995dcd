package io.bitquan.flow.execution.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.ContractCode;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StorageValue;
import io.bitquan.flow.model.state.UtxoEntry;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The changes and undo record encoded from value bytes the caller already holds (the executor's
 * path since round 8), and the exactly-sized writers, give the old encoding byte for byte: the
 * reference below is the encoder as it was before (a growing writer, every value encoded again).
 */
class ChainCodecSharedEncodingTest {
    @Provide
    Arbitrary<List<StateChange>> changes() {
        Arbitrary<byte[]> b32 = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<StateValue> account = Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                .as((b, n) -> (StateValue) new AccountState(b, n)).injectNull(0.3);
        Arbitrary<StateValue> utxo = Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.of(true, false), b32)
                .as((a, h, c, l) -> (StateValue) new UtxoEntry(a, h, c, l)).injectNull(0.3);
        Arbitrary<StateValue> storage = Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
                .map(b -> (StateValue) new StorageValue(b)).injectNull(0.3);
        Arbitrary<StateValue> code = Arbitraries.bytes().array(byte[].class).ofMaxSize(300)
                .map(b -> (StateValue) new ContractCode(b)).injectNull(0.3);
        Arbitrary<StateChange> a = Combinators.combine(b32, account, account).as((k, o, n) -> new StateChange(StateKey.account(k), o, n));
        Arbitrary<StateChange> u = Combinators.combine(b32, Arbitraries.integers().between(0, 9), utxo, utxo)
                .as((k, i, o, n) -> new StateChange(StateKey.utxo(k, i), o, n));
        Arbitrary<StateChange> s = Combinators.combine(b32, b32, storage, storage).as((c, k, o, n) -> new StateChange(StateKey.storage(c, k), o, n));
        Arbitrary<StateChange> c = Combinators.combine(b32, code, code).as((k, o, n) -> new StateChange(StateKey.code(k), o, n));
        return Arbitraries.oneOf(a, u, s, c).list().ofMaxSize(50);
    }

    /** The encoder before round 8 (a growing writer, each value encoded here). */
    private static byte[] reference(List<StateChange> changes) {
        CanonicalWriter w = new CanonicalWriter(8);
        w.i32(changes.size());
        for (StateChange c : changes) {
            w.bytes(c.key().encodedUnsafe());
            for (StateValue v : new StateValue[] {c.oldValue(), c.newValue()}) {
                w.bool(v != null);
                if (v != null) {
                    w.bytes(v.encode());
                }
            }
        }
        return w.toByteArray();
    }

    @Property(tries = 300)
    void sharedBytesGiveTheOldEncoding(@ForAll("changes") List<StateChange> changes, @ForAll long seed) {
        Random random = new Random(seed);
        int n = changes.size();
        byte[][] olds = new byte[n][];
        byte[][] news = new byte[n][];
        for (int i = 0; i < n; i++) {
            // the caller holds some encodings, not all (a write's delete, a value it never read as bytes)
            StateChange c = changes.get(i);
            olds[i] = c.oldValue() != null && random.nextBoolean() ? c.oldValue().encode() : null;
            news[i] = c.newValue() != null && random.nextBoolean() ? c.newValue().encode() : null;
        }
        byte[] expected = reference(changes);
        assertThat(ChainCodec.changes(changes, olds, news)).isEqualTo(expected);
        assertThat(ChainCodec.changes(changes)).isEqualTo(expected);
        assertThat(ChainCodec.changes(expected)).containsExactlyElementsOf(changes);

        byte[] header = new byte[32];
        byte[] parent = new byte[32];
        random.nextBytes(header);
        random.nextBytes(parent);
        UndoRecord undo = new UndoRecord(random.nextLong(), header, parent, changes);
        byte[] oldUndo = new CanonicalWriter(8).i64(undo.height()).bytes(header).bytes(parent).bytes(expected).toByteArray();
        assertThat(ChainCodec.undo(undo, expected)).isEqualTo(oldUndo);
        assertThat(ChainCodec.undo(undo)).isEqualTo(oldUndo);
        UndoRecord back = ChainCodec.undo(oldUndo);
        assertThat(back.changes()).containsExactlyElementsOf(changes);
        assertThat(back.height()).isEqualTo(undo.height());
    }
}
