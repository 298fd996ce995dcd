package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import org.junit.jupiter.api.Test;

/** {@link SeenKeys}: true exactly once per distinct key (by value, not instance), through growth. */
class SeenKeysTest {
    @Test
    void eachDistinctKeyIsFirstExactlyOnceWhateverTheInstance() {
        SeenKeys seen = new SeenKeys(1); // grows many times below
        int distinct = 5_000;
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < distinct; k++) {
                // a fresh instance every time: equal keys are one key
                assertThat(seen.firstTime(account(k))).as("round %d key %d", round, k).isEqualTo(round == 0);
            }
        }
        byte[] txId = new byte[32];
        txId[0] = 1;
        assertThat(seen.firstTime(StateKey.utxo(txId, 0))).as("another kind of key").isTrue();
        assertThat(seen.firstTime(StateKey.utxo(txId, 1))).as("another output index").isTrue();
        assertThat(seen.firstTime(StateKey.utxo(txId.clone(), 1))).isFalse();
    }

    static StateKey account(int k) {
        byte[] address = new byte[StateKey.ADDRESS_BYTES];
        address[0] = (byte) (k >>> 24);
        address[13] = (byte) (k >>> 16);
        address[21] = (byte) (k >>> 8);
        address[31] = (byte) k;
        return StateKey.account(address);
    }
}
