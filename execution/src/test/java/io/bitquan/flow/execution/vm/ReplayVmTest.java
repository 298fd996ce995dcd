package io.bitquan.flow.execution.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A replaying runner's VM holds the key hashes it made, in a cache of its own (not another runner's). */
class ReplayVmTest {
    private static final byte[] KEY = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0};

    /** A VM whose every transaction asks its view for {@link #KEY}'s hash, keeping the answers. */
    private static TransactionVm askingForTheKeyHash(List<byte[]> answers) {
        return (tx, block, state) -> {
            answers.add(state.publicKeyHash(KEY.clone()));
            return null;
        };
    }

    /** An engine's view that counts the hashes it is asked for (and makes them). */
    private static StateAccess counting(AtomicInteger asked) {
        return new StateAccess() {
            @Override
            public StateValue read(StateKey key) {
                return null;
            }

            @Override
            public void write(StateKey key, StateValue value) {}

            @Override
            public byte[] publicKeyHash(byte[] publicKey) {
                asked.incrementAndGet();
                return Blake3.hash(publicKey);
            }
        };
    }

    @Test
    void aRunnerHashesAKeyOnceAndAnotherRunnerHasItsOwnCache() {
        List<byte[]> answers = new ArrayList<>();
        TransactionVm inner = askingForTheKeyHash(answers);
        AtomicInteger asked = new AtomicInteger();
        TransactionVm first = ReplayVm.of(inner);
        for (int tx = 0; tx < 3; tx++) {
            first.execute(null, null, counting(asked));
        }
        assertThat(asked).hasValue(1);
        TransactionVm second = ReplayVm.of(inner);
        second.execute(null, null, counting(asked));
        assertThat(asked).as("a second runner starts with an empty cache").hasValue(2);
        assertThat(answers).hasSize(4).allSatisfy(hash -> assertThat(hash).isEqualTo(Blake3.hash(KEY)));
    }
}
