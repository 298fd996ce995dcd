package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ContractTxs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The runtime's side of the VM-callback contract: every storage access is visible to the
 * executor, and an exception from a state read (Block-STM's read-dependency signal) comes out of
 * the runtime as the very same object, even when thrown from inside a host call in wasm code.
 */
class StateAccessPropagationTest {
    static final class Dependency extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    /** A view over the harness store with a hook on every read; writes only go to the hook. */
    private static StateAccess view(ContractHarness h, java.util.function.Consumer<StateKey> onRead, List<StateKey> writes) {
        return new StateAccess() {
            @Override
            public StateValue read(StateKey key) {
                onRead.accept(key);
                return h.store.read(key);
            }

            @Override
            public void write(StateKey key, StateValue value) {
                writes.add(key);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void readExceptionFromInsideWasmPropagatesUntouched(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] token = h.nextAddress(0);
        h.deploy(0, ExampleContract.TOKEN.code(), ContractArgs.i64(1000));
        Dependency signal = new Dependency();
        StateAccess throwing = view(h, key -> {
            if (key.kind() == StateKey.Kind.STORAGE) {
                throw signal;
            }
        }, new ArrayList<>());
        PreparedTx tx = PreparedTx.of(1, ContractTxs.call(h.users.get(0), h.nonces[0], token, "transfer",
                ContractArgs.transfer(h.address(1), 5), 0, ContractHarness.GAS, ContractHarness.FEE));
        Throwable thrown = catchThrowable(() -> h.runtime.execute(tx, h.block, throwing));
        assertThat(thrown).isSameAs(signal);
        // The runtime (and this thread's VM) is still usable afterwards.
        assertThat(h.call(0, token, "transfer", ContractArgs.transfer(h.address(1), 5)).outcome().success()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void everyStorageAccessGoesThroughTheGivenView(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] token = h.nextAddress(0);
        h.deploy(0, ExampleContract.TOKEN.code(), ContractArgs.i64(1000));
        List<StateKey> reads = new ArrayList<>();
        List<StateKey> writes = new ArrayList<>();
        StateAccess recording = view(h, reads::add, writes);
        PreparedTx tx = PreparedTx.of(1, ContractTxs.call(h.users.get(0), h.nonces[0], token, "transfer",
                ContractArgs.transfer(h.address(1), 5), 0, ContractHarness.GAS, ContractHarness.FEE));
        assertThat(h.runtime.execute(tx, h.block, recording).success()).isTrue();
        StateKey from = StateKey.storage(token, h.address(0));
        StateKey to = StateKey.storage(token, h.address(1));
        assertThat(reads).contains(StateKey.code(token), from, to, StateKey.account(h.address(0)));
        assertThat(writes).contains(from, to, StateKey.account(h.address(0)));
    }
}
