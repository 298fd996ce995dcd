package io.bitquan.flow.execution.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** KeyOrder sorts exactly as the keys' own order does, ties of the primitive part included. */
class KeyOrderProperties {
    @Property(tries = 200)
    void sortsAsTheKeysOwnOrder(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3000) int size,
                                @ForAll @IntRange(min = 0, max = 40) int from) {
        Random random = new Random(seed);
        StateWrite[] writes = distinctWrites(random, size + from + 7);
        StateWrite[] expected = writes.clone();
        Arrays.sort(expected, from, from + size);
        KeyOrder.sort(writes, from, from + size);
        assertThat(writes).containsExactly(expected);
    }

    /**
     * One contract's storage slots tie on their whole prefix, so they take the common-prefix
     * rounds; slots sharing 0-31 leading bytes push those rounds deep, and a few other keys
     * (accounts, the contract's code, another contract) sit between and around them.
     */
    @Property(tries = 200)
    void sortsOneContractsSlotsAsTheKeysOwnOrder(@ForAll long seed, @ForAll @IntRange(min = 0, max = 3000) int size) {
        Random random = new Random(seed);
        byte[] contract = new byte[32];
        random.nextBytes(contract);
        byte[] other = contract.clone();
        other[31] ^= 1;
        Set<StateKey> keys = new LinkedHashSet<>();
        byte[] sharedSlot = new byte[32];
        random.nextBytes(sharedSlot);
        while (keys.size() < size) {
            int kind = random.nextInt(10);
            if (kind == 0) {
                keys.add(StateKey.code(random.nextBoolean() ? contract : other));
            } else if (kind == 1) {
                byte[] address = contract.clone();
                address[random.nextInt(32)] ^= (byte) (1 + random.nextInt(255));
                keys.add(StateKey.account(address));
            } else {
                byte[] slot = sharedSlot.clone();
                int from = random.nextInt(33); // bytes [from, 32) fresh: shares `from` leading bytes
                for (int b = from; b < 32; b++) {
                    slot[b] = (byte) random.nextInt(random.nextBoolean() ? 2 : 256);
                }
                keys.add(StateKey.storage(kind == 2 ? other : contract, slot));
            }
        }
        List<StateWrite> list = new ArrayList<>();
        for (StateKey key : keys) {
            list.add(new StateWrite(key, null));
        }
        java.util.Collections.shuffle(list, random);
        StateWrite[] writes = list.toArray(new StateWrite[0]);
        StateWrite[] expected = writes.clone();
        Arrays.sort(expected);
        KeyOrder.sort(writes, 0, writes.length);
        assertThat(writes).containsExactly(expected);
    }

    /**
     * Keys built to collide on the packed 44 bits: outputs of one transaction (same prefix),
     * prefixes equal in their top 44 bits only, and prefixes above 2^63 (unsigned order).
     */
    private static StateWrite[] distinctWrites(Random random, int count) {
        Set<StateKey> keys = new LinkedHashSet<>();
        byte[] sharedTx = new byte[32];
        random.nextBytes(sharedTx);
        while (keys.size() < count) {
            switch (random.nextInt(5)) {
                case 0 -> keys.add(StateKey.utxo(sharedTx, random.nextInt(64)));
                case 1 -> {
                    byte[] tx = sharedTx.clone();
                    tx[5] = (byte) random.nextInt(4); // same top 44 bits, different low prefix bits
                    tx[6] = (byte) random.nextInt(256);
                    keys.add(StateKey.utxo(tx, random.nextInt(3)));
                }
                case 2 -> {
                    byte[] address = new byte[32];
                    random.nextBytes(address);
                    address[0] |= (byte) 0x80;
                    keys.add(StateKey.account(address));
                }
                default -> {
                    byte[] tx = new byte[32];
                    random.nextBytes(tx);
                    keys.add(StateKey.utxo(tx, random.nextInt(2)));
                }
            }
        }
        List<StateWrite> writes = new ArrayList<>();
        for (StateKey key : keys) {
            writes.add(new StateWrite(key, null));
        }
        java.util.Collections.shuffle(writes, random);
        return writes.toArray(new StateWrite[0]);
    }
}
