package io.bitquan.flow.execution.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cache's view hands every call to the engine's view, except a key hash it already holds. */
class KeyHashViewTest {

    @Test
    void inheritsNoDefaultOfStateAccessSoNoCallBypassesTheEnginesView() throws Exception {
        // ForwardingStateAccessTest checks that the base hands each call on; here: nothing resolves to the interface's default
        for (Method m : StateAccess.class.getMethods()) {
            if (m.isSynthetic() || Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Class<?> declaring = KeyHashView.class.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
            assertThat(declaring).as(m.toString()).isIn(KeyHashView.class, ForwardingStateAccess.class);
        }
    }

    /** An engine view that records what it was asked and answers recognisably. */
    private static final class Recording implements StateAccess {
        final List<String> calls = new ArrayList<>();
        final StateKey handed = StateKey.account(new byte[32]);

        @Override
        public StateValue read(StateKey key) {
            calls.add("read " + key);
            return null;
        }

        @Override
        public void write(StateKey key, StateValue value) {
            calls.add("write " + key);
        }

        @Override
        public void credit(StateKey key, long amount) {
            calls.add("credit " + key + " " + amount);
        }

        @Override
        public StateKey accountKey(byte[] address) {
            calls.add("accountKey");
            return handed;
        }

        @Override
        public StateKey utxoKey(byte[] txId, int index) {
            calls.add("utxoKey " + index);
            return handed;
        }

        @Override
        public byte[] publicKeyHash(byte[] publicKey) {
            calls.add("publicKeyHash");
            return Blake3.hash(publicKey);
        }
    }

    @Test
    void handsEveryCallToTheEnginesViewAndAsksItOnlyOnceForAHeldKey() {
        Recording engine = new Recording();
        KeyHashCache cache = new KeyHashCache();
        KeyHashView view = new KeyHashView(engine, cache);
        StateKey key = StateKey.account(new byte[32]);
        view.read(key);
        view.write(key, null);
        view.credit(key, 5);
        assertThat(view.accountKey(new byte[32])).isSameAs(engine.handed);
        assertThat(view.utxoKey(new byte[32], 3)).isSameAs(engine.handed);
        byte[] publicKey = {9, 8, 7, 6, 5, 4, 3, 2, 1};
        assertThat(view.publicKeyHash(publicKey)).isEqualTo(Blake3.hash(publicKey));
        // a later transaction's view over another engine view: the held hash, the engine's view not asked
        Recording next = new Recording();
        assertThat(new KeyHashView(next, cache).publicKeyHash(publicKey.clone())).isEqualTo(Blake3.hash(publicKey));
        assertThat(engine.calls).containsExactly("read " + key, "write " + key, "credit " + key + " 5", "accountKey", "utxoKey 3",
                "publicKeyHash");
        assertThat(next.calls).isEmpty();
    }
}
