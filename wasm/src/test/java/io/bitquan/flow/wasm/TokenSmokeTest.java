package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TokenSmokeTest {
    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void deployAndTransfer(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 3);
        byte[] token = h.nextAddress(0);
        WasmContractRuntime.Result d = h.deploy(0, ExampleContract.TOKEN.code(), ContractArgs.i64(1_000_000));
        System.out.println(mode + " deploy " + d.outcome());
        assertThat(d.outcome().success()).isTrue();
        assertThat(h.slot(token, h.address(0))).isEqualTo(1_000_000L);
        WasmContractRuntime.Result t = h.call(0, token, "transfer", ContractArgs.transfer(h.address(1), 250));
        System.out.println(mode + " transfer " + t.outcome());
        assertThat(t.outcome().success()).isTrue();
        assertThat(h.slot(token, h.address(0))).isEqualTo(999_750L);
        assertThat(h.slot(token, h.address(1))).isEqualTo(250L);
        WasmContractRuntime.Result bad = h.call(1, token, "transfer", ContractArgs.transfer(h.address(2), 251));
        System.out.println(mode + " bad " + bad.outcome());
        assertThat(bad.outcome().status()).isEqualTo("revert: insufficient balance");
        WasmContractRuntime.Result q = h.call(2, token, "balance_of", h.address(1));
        assertThat(ContractArgs.readI64(q.returnData(), 0)).isEqualTo(250L);
    }
}
