package io.bitquan.flow.operators.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.state.StateKey;
import java.io.IOException;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

class StateKeySerializerTest {
    private static final StateKeySerializer S = StateKeySerializer.INSTANCE;

    @Provide
    Arbitrary<StateKey> keys() {
        Arbitrary<byte[]> b32 = Arbitraries.bytes().array(byte[].class).ofSize(32);
        return Arbitraries.oneOf(
                Combinators.combine(b32, Arbitraries.integers()).as(StateKey::utxo),
                b32.map(StateKey::account),
                b32.map(StateKey::code),
                Combinators.combine(b32, b32).as(StateKey::storage));
    }

    private static byte[] bytes(StateKey... keys) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(16);
        for (StateKey k : keys) {
            S.serialize(k, out);
        }
        return out.getCopyOfBuffer();
    }

    /** Keys written back to back read back as the same keys: the tag alone delimits each one. */
    @Property(tries = 200)
    void concatenatedKeysReadBack(@ForAll("keys") StateKey a, @ForAll("keys") StateKey b) throws IOException {
        DataInputDeserializer in = new DataInputDeserializer(bytes(a, b));
        assertThat(S.deserialize(in)).isEqualTo(a);
        assertThat(S.deserialize(in)).isEqualTo(b);
        assertThat(in.available()).isZero();

        DataOutputSerializer copied = new DataOutputSerializer(16);
        S.copy(new DataInputDeserializer(bytes(a)), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(a.encodedUnsafe());
    }

    /** The stored bytes order as the keys do (RocksDB iterates map entries in byte order). */
    @Property(tries = 200)
    void serializedOrderIsKeyOrder(@ForAll("keys") StateKey a, @ForAll("keys") StateKey b) throws IOException {
        assertThat(Integer.signum(Bytes.compare(bytes(a), bytes(b)))).isEqualTo(Integer.signum(a.compareTo(b)));
    }

    @Property(tries = 20)
    void anUnknownTagFailsTheRead(@ForAll("keys") StateKey k) {
        byte[] bad = k.encoded();
        bad[0] = 0x7f;
        assertThatThrownBy(() -> S.deserialize(new DataInputDeserializer(bad))).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown state key tag");
    }

    @Property(tries = 1)
    void itsSnapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializerSnapshot<StateKey> snap = S.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
        TypeSerializerSnapshot<StateKey> read = TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
        assertThat(read.restoreSerializer()).isSameAs(S);
        TypeSerializerSchemaCompatibility<StateKey> compat = S.snapshotConfiguration().resolveSchemaCompatibility(read);
        assertThat(compat.isCompatibleAsIs()).isTrue();
        assertThat(List.of(S.duplicate())).containsExactly(S);
    }
}
