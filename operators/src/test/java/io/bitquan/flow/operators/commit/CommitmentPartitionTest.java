package io.bitquan.flow.operators.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.ContractCode;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StorageValue;
import io.bitquan.flow.model.state.UtxoEntry;
import io.bitquan.flow.operators.model.ChangeCodec;
import io.bitquan.flow.operators.model.CommitPart;
import io.bitquan.flow.model.commit.ElementCache;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The commitment partition hashes a batch's encoded elements in place: its delta must be byte for
 * byte the one from the decoded changes (every value kind, absent old / new values, contract code
 * past one BLAKE3 chunk, which takes the general digest), and a malformed batch must fail as
 * decoding it fails, never hash something.
 */
class CommitmentPartitionTest {
    @Provide
    Arbitrary<List<StateChange>> changes() {
        Arbitrary<byte[]> b32 = Arbitraries.bytes().array(byte[].class).ofSize(32);
        Arbitrary<StateValue> accountValue = Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                .as((b, n) -> (StateValue) new AccountState(b, n)).injectNull(0.3);
        Arbitrary<StateChange> account = Combinators.combine(b32, accountValue, accountValue)
                .as((a, o, n) -> new StateChange(StateKey.account(a), o, n));
        Arbitrary<StateValue> utxoValue = Combinators.combine(Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs().between(0, 1L << 40), Arbitraries.of(true, false), b32)
                .as((amount, height, coinbase, lock) -> (StateValue) new UtxoEntry(amount, height, coinbase, lock)).injectNull(0.4);
        Arbitrary<StateChange> utxo = Combinators.combine(b32, Arbitraries.integers().between(0, 1000), utxoValue, utxoValue)
                .as((tx, i, o, n) -> new StateChange(StateKey.utxo(tx, i), o, n));
        Arbitrary<StateValue> storageValue = Arbitraries.bytes().array(byte[].class).ofMaxSize(64)
                .map(b -> (StateValue) new StorageValue(b)).injectNull(0.3);
        Arbitrary<StateChange> storage = Combinators.combine(b32, b32, storageValue, storageValue)
                .as((c, s, o, n) -> new StateChange(StateKey.storage(c, s), o, n));
        // code from a few bytes to past one 1024-byte chunk (element input = 8 + key + code)
        Arbitrary<StateValue> codeValue = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2500)
                .map(b -> (StateValue) new ContractCode(b)).injectNull(0.3);
        Arbitrary<StateChange> code = Combinators.combine(b32, codeValue, codeValue)
                .as((c, o, n) -> new StateChange(StateKey.code(c), o, n));
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(4, account), net.jqwik.api.Tuple.of(4, utxo),
                        net.jqwik.api.Tuple.of(2, storage), net.jqwik.api.Tuple.of(1, code))
                .list().ofMaxSize(40);
    }

    private static CommitPart keys(byte[] changes) {
        CommitPart keys = CommitPart.of(CommitPart.Kind.KEYS, "chain", 7);
        keys.bucket = 3;
        keys.changes = changes;
        return keys;
    }

    @Property(tries = 300)
    void deltaOfTheEncodingIsTheDecodedChangesDelta(@ForAll("changes") List<StateChange> changes) {
        CommitPart keys = keys(ChangeCodec.encode(changes));
        CommitPart fast = CommitmentPartition.delta(keys);
        CommitPart reference = CommitmentPartition.deltaOfDecoded(keys);
        assertThat(fast.delta).isEqualTo(reference.delta);
        assertThat(fast.kind).isEqualTo(CommitPart.Kind.DELTA);
        assertThat(fast.bucket).isEqualTo(3);
        assertThat(fast.seq).isEqualTo(7);
        // and the plain definition: remove each old entry, add each new one
        LtHash expected = new LtHash();
        for (StateChange c : changes) {
            expected.apply(c);
        }
        assertThat(fast.delta).isEqualTo(expected.toBytes());
    }

    @Property(tries = 200)
    void aCutEncodingFailsLikeDecodingIt(@ForAll("changes") List<StateChange> changes, @ForAll @IntRange(min = 1, max = 400) int cut) {
        byte[] whole = ChangeCodec.encode(changes);
        if (cut >= whole.length) {
            return;
        }
        byte[] shorter = Arrays.copyOf(whole, whole.length - cut);
        assertThatThrownBy(() -> ChangeCodec.decode(shorter)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CommitmentPartition.delta(keys(shorter))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void trailingBytesBadFlagsAndBadKeysFail() {
        List<StateChange> one = List.of(new StateChange(StateKey.account(new byte[32]), new AccountState(5, 1), new AccountState(4, 2)));
        byte[] good = ChangeCodec.encode(one);
        assertThat(CommitmentPartition.delta(keys(good)).delta).isEqualTo(CommitmentPartition.deltaOfDecoded(keys(good)).delta);

        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> CommitmentPartition.delta(keys(trailing))).hasMessageContaining("trailing");

        byte[] badFlag = good.clone();
        badFlag[4 + 4 + StateKey.account(new byte[32]).encodedUnsafe().length] = 2; // the old value's presence byte
        assertThatThrownBy(() -> CommitmentPartition.delta(keys(badFlag))).hasMessageContaining("boolean");

        byte[] badTag = good.clone();
        badTag[8] = (byte) 0xEE; // the key's tag: no key kind has it
        assertThatThrownBy(() -> CommitmentPartition.delta(keys(badTag))).hasMessageContaining("state key");
    }

    @Test
    void noChangesIsTheEmptyDelta() {
        assertThat(CommitmentPartition.delta(keys(ChangeCodec.encode(List.of()))).delta).isEqualTo(new LtHash().toBytes());
    }

    /**
     * Batches of a few keys changed again and again (accounts and storage slots, each change
     * removing what the last one added, UTXOs created and spent, deletions and re-creations):
     * hashed with an element cache of any size, every batch's delta equals the uncached one.
     */
    @Property(tries = 60)
    void theElementCacheChangesNoDelta(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                       @ForAll @IntRange(min = 1, max = 40) int capacity) {
        Random random = new Random(seed);
        StateKey[] keys = new StateKey[12];
        for (int k = 0; k < keys.length; k++) {
            byte[] id = new byte[32];
            id[0] = (byte) k;
            keys[k] = switch (k % 3) {
                case 0 -> StateKey.account(id);
                case 1 -> StateKey.storage(id, id);
                default -> StateKey.utxo(id, k);
            };
        }
        Map<StateKey, StateValue> state = new HashMap<>();
        ElementCache cache = new ElementCache(capacity);
        for (int batch = 0; batch < 30; batch++) {
            List<StateChange> changes = new ArrayList<>();
            boolean[] used = new boolean[keys.length];
            for (int i = 0; i < 1 + random.nextInt(8); i++) {
                int k = random.nextInt(keys.length);
                if (used[k]) {
                    continue; // one change per key per batch, as the executor's
                }
                used[k] = true;
                StateKey key = keys[k];
                StateValue next = random.nextInt(5) == 0 ? null : switch (k % 3) {
                    case 0 -> new AccountState(random.nextInt(4), random.nextInt(3));
                    case 1 -> new StorageValue(new byte[] {(byte) random.nextInt(3)});
                    default -> new UtxoEntry(random.nextInt(3), 1, false, new byte[32]);
                };
                changes.add(new StateChange(key, state.get(key), next));
                if (next == null) {
                    state.remove(key);
                } else {
                    state.put(key, next);
                }
            }
            CommitPart keysPart = keys(ChangeCodec.encode(changes));
            assertThat(CommitmentPartition.delta(keysPart, cache).delta).isEqualTo(CommitmentPartition.delta(keysPart).delta);
            assertThat(cache.size()).isLessThanOrEqualTo(capacity);
        }
    }

    @Test
    void anAccountsNextChangeTakesItsElementHashFromTheCache() {
        StateKey account = StateKey.account(new byte[32]);
        StateKey utxo = StateKey.utxo(new byte[32], 0);
        ElementCache cache = new ElementCache(16);
        CommitPart first = keys(ChangeCodec.encode(List.of(new StateChange(account, null, new AccountState(10, 0)),
                new StateChange(utxo, null, new UtxoEntry(5, 1, false, new byte[32])))));
        CommitPart second = keys(ChangeCodec.encode(List.of(new StateChange(account, new AccountState(10, 0), new AccountState(9, 1)),
                new StateChange(utxo, new UtxoEntry(5, 1, false, new byte[32]), null))));
        assertThat(CommitmentPartition.delta(first, cache).delta).isEqualTo(CommitmentPartition.delta(first).delta);
        assertThat(cache.size()).isEqualTo(1); // the account's element, not the UTXO's
        assertThat(CommitmentPartition.delta(second, cache).delta).isEqualTo(CommitmentPartition.delta(second).delta);
        assertThat(cache.hits()).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(1); // the old element taken out, the new one kept
    }
}
