package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** One compile per code hash, shared by threads that each use their own instances. */
class ModuleCacheTest {

    @Test
    void identicalCodeCompilesOnce() {
        ContractHarness h = new ContractHarness(ExecutionMode.COMPILED, 2);
        h.deploy(0, ExampleContract.TOKEN.code(), ContractArgs.i64(10));
        h.deploy(1, ExampleContract.TOKEN.code(), ContractArgs.i64(20));
        assertThat(h.runtime.cachedModules()).isEqualTo(1);
        h.deploy(0, ExampleContract.COUNTER.code(), new byte[0]);
        assertThat(h.runtime.cachedModules()).isEqualTo(2);
    }

    @Test
    void concurrentCallsOnOneModuleAgree() throws Exception {
        ContractHarness h = new ContractHarness(ExecutionMode.COMPILED, 2);
        byte[] token = h.nextAddress(0);
        h.deploy(0, ExampleContract.TOKEN.code(), ContractArgs.i64(1_000));
        WasmContractRuntime runtime = h.runtime;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    List<String> out = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        WasmContractRuntime.Result r = i % 2 == 0
                                ? runtime.query(token, "transfer", ContractArgs.transfer(h.address(1), i), h.address(0), h.block, h.store, 100_000)
                                : runtime.query(token, "balance_of", h.address(0), h.address(1), h.block, h.store, 100_000);
                        out.add(r.outcome().status() + " " + r.outcome().gasUsed() + " " + java.util.Arrays.toString(r.returnData()));
                    }
                    return out;
                }));
            }
            List<String> first = results.get(0).get();
            for (Future<List<String>> f : results) {
                assertThat(f.get()).isEqualTo(first);
            }
            assertThat(first.get(1)).startsWith("ok ");
        } finally {
            pool.shutdown();
        }
        assertThat(runtime.cachedModules()).isEqualTo(1);
    }
}
