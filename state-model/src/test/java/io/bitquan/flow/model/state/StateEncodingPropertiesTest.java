package io.bitquan.flow.model.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.model.codec.Bytes;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every key and value has exactly one encoding: decode(encode(x)) == x and nothing else decodes. */
class StateEncodingPropertiesTest {

    @Provide
    Arbitrary<byte[]> bytes32() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    @Provide
    Arbitrary<StateKey> keys() {
        Arbitrary<byte[]> b = bytes32();
        return Arbitraries.oneOf(
                Combinators.combine(b, Arbitraries.integers()).as(StateKey::utxo),
                b.map(StateKey::account),
                b.map(StateKey::code),
                Combinators.combine(b, b).as(StateKey::storage));
    }

    @Provide
    Arbitrary<UtxoEntry> utxos() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs(), Arbitraries.of(true, false), bytes32())
                .as(UtxoEntry::new);
    }

    @Property
    void keysRoundTripAndOrderByBytes(@ForAll("keys") StateKey a, @ForAll("keys") StateKey b) {
        assertThat(StateKey.decode(a.encoded())).isEqualTo(a);
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(Bytes.compare(a.encoded(), b.encoded())));
        assertThat(a.equals(b)).isEqualTo(java.util.Arrays.equals(a.encoded(), b.encoded()));
    }

    /**
     * The hash is exactly {@code Arrays.hashCode} of the encoding, computed or not before equals
     * (commitment buckets route by it, so it may never change), and the ByteBuffer factories build
     * the same keys as the byte[] ones without moving the buffer.
     */
    @Property
    void hashIsArraysHashCodeAndBufferFactoriesAgree(@ForAll("bytes32") byte[] id, @ForAll int index, @ForAll boolean hashFirst) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(id);
        StateKey account = StateKey.account(buffer);
        StateKey utxo = StateKey.utxo(buffer, index);
        assertThat(buffer.position()).isZero();
        StateKey accountBytes = StateKey.account(id);
        if (hashFirst) {
            assertThat(account.hashCode()).isEqualTo(java.util.Arrays.hashCode(account.encoded()));
        }
        assertThat(account).isEqualTo(accountBytes);
        assertThat(utxo).isEqualTo(StateKey.utxo(id, index)).isNotEqualTo(account);
        assertThat(account.hashCode()).isEqualTo(java.util.Arrays.hashCode(accountBytes.encoded()));
        assertThat(utxo.hashCode()).isEqualTo(java.util.Arrays.hashCode(utxo.encoded()));
        StateKey storage = StateKey.storage(id, id);
        assertThat(storage.hashCode()).isEqualTo(java.util.Arrays.hashCode(storage.encoded()));
    }

    @Property
    void keysWithExtraOrMissingBytesAreRejected(@ForAll("keys") StateKey key) {
        byte[] longer = Bytes.concat(key.encoded(), new byte[] {0});
        byte[] shorter = java.util.Arrays.copyOf(key.encoded(), key.encoded().length - 1);
        assertThatThrownBy(() -> StateKey.decode(longer)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StateKey.decode(shorter)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void utxoEntriesRoundTrip(@ForAll("utxos") UtxoEntry entry) {
        byte[] encoded = entry.encode();
        assertThat(encoded).hasSize(49);
        assertThat(StateValue.decode(StateKey.Kind.UTXO, encoded)).isEqualTo(entry);
        assertThatThrownBy(() -> UtxoEntry.decode(Bytes.concat(encoded, new byte[1]))).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void accountsRoundTrip(@ForAll long balance, @ForAll long nonce) {
        AccountState state = new AccountState(balance, nonce);
        assertThat(StateValue.decode(StateKey.Kind.ACCOUNT, state.encode())).isEqualTo(state);
    }

    @Property
    void booleansMustBeZeroOrOne(@ForAll("utxos") UtxoEntry entry) {
        byte[] encoded = entry.encode();
        encoded[16] = 2;
        assertThatThrownBy(() -> UtxoEntry.decode(encoded)).hasMessageContaining("non-canonical boolean");
    }

    @Property
    void opaqueValuesRoundTrip(@ForAll byte[] data) {
        assertThat(StateValue.decode(StateKey.Kind.STORAGE, new StorageValue(data).encode())).isEqualTo(new StorageValue(data));
        assertThat(StateValue.decode(StateKey.Kind.CODE, new ContractCode(data).encode())).isEqualTo(new ContractCode(data));
    }
}
