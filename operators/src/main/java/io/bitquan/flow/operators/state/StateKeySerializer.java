package io.bitquan.flow.operators.state;

import io.bitquan.flow.model.state.StateKey;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A {@link StateKey} in Flink state as its canonical encoding and nothing else (the tag byte fixes
 * the length): no hex string to build per access, and RocksDB orders the map's entries exactly as
 * {@link StateKey#compareTo} does (the backend appends these bytes to the key group and chain key),
 * so a sorted batch of reads walks the column family forward. The heap backend hashes and compares
 * the {@link StateKey} objects themselves (their equals/hashCode are over the same bytes).
 *
 * <p>Serialized form VERSION 1: the canonical key bytes. Deserialization validates them as
 * {@link StateKey#decode} does (an unknown tag fails the restore instead of creating a bad key).
 */
public final class StateKeySerializer extends TypeSerializerSingleton<StateKey> {
    private static final long serialVersionUID = 1L;

    public static final StateKeySerializer INSTANCE = new StateKeySerializer();

    @Override
    public boolean isImmutableType() {
        return true;
    }

    @Override
    public StateKey createInstance() {
        return null;
    }

    @Override
    public StateKey copy(StateKey from) {
        return from;
    }

    @Override
    public StateKey copy(StateKey from, StateKey reuse) {
        return from;
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(StateKey record, DataOutputView target) throws IOException {
        target.write(record.encodedUnsafe());
    }

    @Override
    public StateKey deserialize(DataInputView source) throws IOException {
        return StateKey.decode(read(source));
    }

    @Override
    public StateKey deserialize(StateKey reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        target.write(read(source));
    }

    private static byte[] read(DataInputView source) throws IOException {
        int tag = source.readUnsignedByte();
        int length = StateKey.encodedLength(tag);
        if (length < 0) {
            throw new IOException("unknown state key tag " + tag + " in keyed state");
        }
        byte[] encoded = new byte[length];
        encoded[0] = (byte) tag;
        source.readFully(encoded, 1, length - 1);
        return encoded;
    }

    @Override
    public TypeSerializerSnapshot<StateKey> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores this serializer (stateless: nothing but its class is written). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<StateKey> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
