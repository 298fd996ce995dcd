package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A prediction worker's account keys (round 14): an account met again in the block is the same
 * key instance, equal to the key the transfer names, and its base value is not read again; the
 * key's first accessor always reads it, so after linking every account key's slot holds the base
 * value. Addresses aimed at one slot only evict: every key still equals the one built from the
 * address. (The run's result at 1, 2, 3, 8 and 16 workers: {@code PreloadedBaseTest}.)
 */
class AccountKeysTest {

    @Test
    void anAccountMetAgainIsTheSameInstanceAndOnlyItsFirstAccessReadsTheBase() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(141, 1, 600, Workload.TRANSFER).withAccounts(2),
                GeneratorOptions.of(142, 1, 900, Workload.TRANSFER).withAccounts(60),
                GeneratorOptions.of(143, 1, 700, Workload.MIXED).withAccounts(40)}) {
            BlockFixtures b = BlockFixtures.firstBlock(options);
            List<PreparedTx> txs = b.txs();
            AccessDag.Prediction[] p = new AccessDag.Prediction[txs.size()];
            AccountKeys accounts = new AccountKeys();
            for (int from = 0; from < txs.size(); from += 64) { // as a worker: its chunks in increasing order
                assertThat(AccessDag.predict(txs, p, from, Math.min(txs.size(), from + 64), b.base(), accounts)).isTrue();
            }
            Map<StateKey, StateKey> first = new HashMap<>();
            int reused = 0;
            for (int t = 0; t < txs.size(); t++) {
                if (!(txs.get(t).body() instanceof AccountTransfer transfer)) {
                    continue;
                }
                StateKey sender = StateKey.account(transfer.getSender());
                StateKey recipient = StateKey.account(transfer.getRecipient());
                assertThat(p[t].keys()[0]).isEqualTo(sender);
                assertThat(p[t].keys()[p[t].keys().length - 1]).isEqualTo(recipient);
                for (int i = 0; i < p[t].keys().length; i++) {
                    StateKey key = p[t].keys()[i];
                    StateKey earlier = first.putIfAbsent(key, key);
                    String what = options.workload().id() + " tx " + t + " key " + i;
                    if (earlier == null) {
                        StateValue expected = b.base().read(key);
                        assertThat(p[t].base()[i]).as(what + ": a key's first access reads the base")
                                .isSameAs(expected == null ? AccessDag.ABSENT : expected);
                    } else if (earlier == key) {
                        assertThat(p[t].base()[i]).as(what + ": a reused key is not read again").isNull();
                        reused++;
                    }
                }
            }
            assertThat(reused).as(options.workload().id() + ": repeated accounts reuse their key").isPositive();
            AccessDag dag = AccessDag.of(p);
            dag.link(txs.size());
            for (int id = 0; id < dag.keyCount(); id++) {
                StateKey key = dag.keys.key(id);
                if (key.kind() == StateKey.Kind.ACCOUNT) {
                    StateValue expected = b.base().read(key);
                    assertThat(dag.values[id]).as(options.workload().id() + " " + key + " loaded for the run")
                            .isSameAs(expected == null ? AccessDag.ABSENT : expected);
                }
            }
        }
    }

    @Test
    void addressesAimedAtOneSlotOnlyEvict() {
        AccountKeys accounts = new AccountKeys();
        byte[] previous = null;
        for (int i = 0; i < 4000; i++) {
            byte[] address = new byte[StateKey.ADDRESS_BYTES];
            address[0] = 7; // the same first 8 bytes: one slot
            address[30] = (byte) (i % 3);
            address[31] = (byte) (i / 3);
            // a buffer with an offset into a larger array, as a decoder may hand one
            byte[] backing = new byte[StateKey.ADDRESS_BYTES + 5];
            System.arraycopy(address, 0, backing, 5, StateKey.ADDRESS_BYTES);
            ByteBuffer buffer = ByteBuffer.wrap(backing, 5, StateKey.ADDRESS_BYTES).slice();
            StateKey key = accounts.key(buffer);
            assertThat(key).isEqualTo(StateKey.account(address));
            assertThat(buffer.position()).isZero();
            assertThat(accounts.seen()).as("address " + i).isEqualTo(java.util.Arrays.equals(address, previous));
            previous = address;
        }
        byte[] same = new byte[StateKey.ADDRESS_BYTES];
        same[5] = 1;
        StateKey once = accounts.key(ByteBuffer.wrap(same));
        assertThat(accounts.seen()).isFalse();
        assertThat(accounts.key(ByteBuffer.wrap(same.clone()))).isSameAs(once);
        assertThat(accounts.seen()).isTrue();
        assertThat(accounts.key(ByteBuffer.allocateDirect(StateKey.ADDRESS_BYTES).put(0, same))).isEqualTo(once);
        assertThat(accounts.seen()).as("a direct buffer is built, not looked up").isFalse();
    }
}
