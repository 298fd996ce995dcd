package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.module.Limits;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.WasmContractRuntime;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hostile corpus (wasm/contracts/hostile/*.wat, committed as test resources): every case ends
 * in a deploy rejection or a failed receipt with a clear status, the contract's state unchanged
 * (only the sender's fee and nonce move), and the JVM still running contracts afterwards.
 */
class HostileCorpusTest {
    private static final byte[] SLOT0 = new byte[32];

    private static byte[] hostile(String name) {
        return ExampleContract.load("/hostile/" + name + ".wasm");
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void invalidModulesAreRejectedAtDeployWithAReason(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] oversized = oversized();
        Object[][] cases = {
                {hostile("float_use"), "float"},
                {hostile("forbidden_import"), "forbidden import wasi_snapshot_preview1.clock_time_get"},
                {hostile("memory_initial_bomb"), "initial memory 1000 pages exceeds cap 16"},
                {oversized, "code size " + oversized.length + " exceeds cap " + Limits.MAX_CODE_BYTES},
                {new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, "not a WebAssembly 1.0 binary module"},
                {java.util.Arrays.copyOf(ExampleContract.TOKEN.code(), 100), "unexpected end of module"},
        };
        for (Object[] c : cases) {
            byte[] address = h.nextAddress(0);
            long before = h.balance(0);
            WasmContractRuntime.Result r = h.deploy(0, (byte[]) c[0], new byte[0], 5_000_000);
            TxOutcome o = r.outcome();
            assertThat(o.success()).isFalse();
            assertThat(o.status()).startsWith("invalid-module: ").contains((String) c[1]);
            // An invalid deploy is a failed receipt that uses the whole gas limit: full fee, nonce used.
            assertThat(o.gasUsed()).isEqualTo(5_000_000);
            assertThat(o.fee()).isEqualTo(ContractHarness.FEE);
            assertThat(h.balance(0)).isEqualTo(before - ContractHarness.FEE);
            assertThat(h.store.read(StateKey.code(address))).isNull();
        }
        assertHealthy(h);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void constructorTrapStoresNothing(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] address = h.nextAddress(0);
        TxOutcome o = h.deploy(0, hostile("constructor_trap"), new byte[0]).outcome();
        assertThat(o.success()).isFalse();
        assertThat(o.status()).startsWith("trap: ");
        assertThat(h.store.read(StateKey.code(address))).isNull();
        assertThat(h.slot(address, SLOT0)).isNull();
        assertHealthy(h);
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void runtimeAttacksEndInFailedReceiptsWithStateUnchanged(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        Object[][] cases = {
                {"infinite_loop", "out-of-gas"},
                {"memory_grow_bomb", "out-of-gas"},
                {"deep_recursion", "call-depth-exceeded"},
                {"out_of_bounds", "trap: "},
                {"huge_return", "trap: return data of 2147483647 bytes exceeds 1024"},
                {"host_out_of_bounds", "trap: out of bounds memory access in host call"},
                {"revert_after_write", "revert: nope"},
        };
        for (Object[] c : cases) {
            byte[] address = h.nextAddress(0);
            assertThat(h.deploy(0, hostile((String) c[0]), new byte[0]).outcome().success()).as((String) c[0]).isTrue();
            List<String> before = h.snapshot();
            long balanceBefore = h.balance(1);
            TxOutcome o = h.call(1, address, "run", new byte[0], 0, 2_000_000).outcome();
            assertThat(o.success()).as((String) c[0]).isFalse();
            assertThat(o.status()).as((String) c[0]).startsWith((String) c[1]);
            assertThat(o.events()).isEmpty();
            if (c[1].equals("out-of-gas")) {
                assertThat(o.gasUsed()).isEqualTo(2_000_000);
            }
            assertThat(h.slot(address, SLOT0)).as((String) c[0]).isNull();
            // Only the caller's account moved (fee and nonce).
            List<String> after = h.snapshot();
            String callerKey = io.bitquan.flow.model.codec.Bytes.hex(StateKey.account(h.address(1)).encoded());
            assertThat(after.stream().filter(e -> !e.startsWith(callerKey)).toList())
                    .isEqualTo(before.stream().filter(e -> !e.startsWith(callerKey)).toList());
            assertThat(h.balance(1)).isEqualTo(balanceBefore - o.fee());
        }
        assertHealthy(h);
    }

    /** The depth limit, not the JVM stack, decides: a small-stack thread sees the same receipt. */
    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void deepRecursionIsDeterministicWhateverTheStack(ExecutionMode mode) throws InterruptedException {
        ContractHarness h = new ContractHarness(mode, 3);
        byte[] address = h.nextAddress(0);
        h.deploy(0, hostile("deep_recursion"), new byte[0]);
        TxOutcome onMain = h.call(1, address, "run", new byte[0]).outcome();
        AtomicReference<Object> onSmall = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                onSmall.set(h.call(2, address, "run", new byte[0]).outcome());
            } catch (Throwable e) {
                onSmall.set(e);
            }
        }, "small-stack", 256 * 1024);
        t.start();
        t.join();
        assertThat(onMain.status()).isEqualTo("call-depth-exceeded");
        assertThat(onSmall.get()).isInstanceOf(TxOutcome.class);
        TxOutcome small = (TxOutcome) onSmall.get();
        assertThat(small.status()).isEqualTo(onMain.status());
        assertThat(small.gasUsed()).isEqualTo(onMain.gasUsed());
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void returnInsideNestedBlocksKeepsDepthAccounting(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] address = h.nextAddress(0);
        h.deploy(0, hostile("early_return"), new byte[0]);
        TxOutcome o = h.call(1, address, "run", new byte[0]).outcome();
        assertThat(o.status()).isEqualTo("ok");
        assertThat(h.slot(address, SLOT0)).isEqualTo(122L);
    }

    /** A valid module padded past the code cap with a custom section. */
    static byte[] oversized() {
        byte[] base = ExampleContract.COUNTER.code();
        int payload = Limits.MAX_CODE_BYTES;
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(base);
        out.write(0); // custom section id
        int size = payload + 2; // name length byte + 1-byte name + payload
        while (true) {
            int b = size & 0x7F;
            size >>>= 7;
            out.write(size != 0 ? b | 0x80 : b);
            if (size == 0) {
                break;
            }
        }
        out.write(1);
        out.write('x');
        out.writeBytes(new byte[payload]);
        return out.toByteArray();
    }

    private static void assertHealthy(ContractHarness h) {
        byte[] token = h.nextAddress(0);
        assertThat(h.deploy(0, ExampleContract.TOKEN.code(), ContractArgs.i64(100)).outcome().success()).isTrue();
        assertThat(h.call(0, token, "transfer", ContractArgs.transfer(h.address(1), 40)).outcome().success()).isTrue();
        assertThat(h.slot(token, h.address(1))).isEqualTo(40L);
    }
}
