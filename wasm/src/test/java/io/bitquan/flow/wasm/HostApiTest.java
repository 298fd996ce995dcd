package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StorageValue;
import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every host function of the ABI against the state and receipt it should produce. */
class HostApiTest {
    private static final long GAS = 1_000_000;

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] slot(int n) {
        byte[] s = new byte[32];
        s[31] = (byte) n;
        return s;
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void everyHostFunction(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 3);
        byte[] c = h.nextAddress(0);
        assertThat(h.deploy(0, ExampleContract.load("/semantics/host_api.wasm"), new byte[0]).outcome().success()).isTrue();

        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(h.call(1, c, "echo", hello).returnData()).isEqualTo(hello);

        // env: caller, self, value, height, timestamp, balance(caller) after fee and value left it.
        long before = h.balance(1);
        WasmContractRuntime.Result env = h.call(1, c, "env", new byte[0], 700, GAS);
        byte[] r = env.returnData();
        assertThat(Arrays.copyOfRange(r, 0, 32)).isEqualTo(h.address(1));
        assertThat(Arrays.copyOfRange(r, 32, 64)).isEqualTo(c);
        assertThat(ContractArgs.readI64(r, 64)).isEqualTo(700);
        assertThat(ContractArgs.readI64(r, 72)).isEqualTo(h.block.height());
        assertThat(ContractArgs.readI64(r, 80)).isEqualTo(h.block.timestamp());
        assertThat(ContractArgs.readI64(r, 88)).isEqualTo(before - ContractHarness.FEE - 700);
        assertThat(h.balanceOf(c)).isEqualTo(700);

        // pay: from the contract's own balance; insufficient and out-of-range amounts are statuses.
        long recipient = h.balance(2);
        assertThat(ContractArgs.readI64(h.call(1, c, "pay", ContractArgs.transfer(h.address(2), 300)).returnData(), 0)).isZero();
        assertThat(h.balance(2)).isEqualTo(recipient + 300);
        assertThat(h.balanceOf(c)).isEqualTo(400);
        assertThat(ContractArgs.readI64(h.call(1, c, "pay", ContractArgs.transfer(h.address(2), 401)).returnData(), 0)).isEqualTo(1);
        assertThat(ContractArgs.readI64(h.call(1, c, "pay", ContractArgs.transfer(h.address(2), -1)).returnData(), 0)).isEqualTo(2);
        assertThat(h.balanceOf(c)).isEqualTo(400);

        // Byte-level storage: write, read back, absent, delete.
        byte[] value = "some bytes of state".getBytes(StandardCharsets.US_ASCII);
        assertThat(h.call(1, c, "kv_put", concat(slot(9), value)).outcome().success()).isTrue();
        assertThat(((StorageValue) h.store.read(StateKey.storage(c, slot(9)))).data()).isEqualTo(value);
        byte[] got = h.call(2, c, "kv_get", slot(9)).returnData();
        assertThat(ContractArgs.readI64(got, 0)).isEqualTo(value.length);
        assertThat(Arrays.copyOfRange(got, 8, got.length)).isEqualTo(value);
        assertThat(ContractArgs.readI64(h.call(2, c, "kv_get", slot(8)).returnData(), 0)).isEqualTo(-1);
        h.call(2, c, "kv_del", slot(9));
        assertThat(h.store.read(StateKey.storage(c, slot(9)))).isNull();

        // Events: address | data, in order, in the receipt.
        TxOutcome note = h.call(1, c, "note", hello).outcome();
        assertThat(note.events()).hasSize(2);
        assertThat(note.events().get(0)).isEqualTo(concat(c, hello));
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void storageValueCapIsATrap(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] c = h.nextAddress(0);
        h.deploy(0, ExampleContract.load("/semantics/host_api.wasm"), new byte[0]);
        TxOutcome o = h.call(1, c, "kv_put", concat(slot(1), new byte[4097]), 0, 10_000_000).outcome();
        assertThat(o.status()).isEqualTo("trap: storage value of 4097 bytes exceeds 4096");
        assertThat(h.store.read(StateKey.storage(c, slot(1)))).isNull();
    }
}
