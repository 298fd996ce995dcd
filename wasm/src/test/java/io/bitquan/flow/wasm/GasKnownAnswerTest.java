package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gas known answers for the example contracts: fixed inputs give these exact gas numbers (and
 * fees, ceil(10000 * gas / 1000000)) under the interpreter and the compiler alike. A change to the
 * gas schedule, the instrumentation or a contract binary changes them: update deliberately, it
 * is a consensus change.
 */
class GasKnownAnswerTest {

    private static String row(String what, TxOutcome o) {
        return what + " " + o.status() + " gas=" + o.gasUsed() + " fee=" + o.fee();
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void token(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 3);
        byte[] token = h.nextAddress(0);
        List<String> rows = new ArrayList<>();
        rows.add(row("deploy", h.deploy(0, ExampleContract.TOKEN.code(), ContractArgs.i64(1_000_000)).outcome()));
        rows.add(row("transfer", h.call(0, token, "transfer", ContractArgs.transfer(h.address(1), 250)).outcome()));
        rows.add(row("transfer-new-holder", h.call(0, token, "transfer", ContractArgs.transfer(h.address(2), 1)).outcome()));
        rows.add(row("transfer-insufficient", h.call(1, token, "transfer", ContractArgs.transfer(h.address(2), 251)).outcome()));
        rows.add(row("transfer-bad-input", h.call(1, token, "transfer", new byte[3]).outcome()));
        rows.add(row("balance_of", h.call(2, token, "balance_of", h.address(1)).outcome()));
        rows.add(row("no-method", h.call(2, token, "mint", new byte[0]).outcome()));
        assertThat(rows).containsExactly(
                "deploy ok gas=42564 fee=426",
                "transfer ok gas=4948 fee=50",
                "transfer-new-holder ok gas=4948 fee=50",
                "transfer-insufficient revert: insufficient balance gas=2403 fee=25",
                "transfer-bad-input revert: bad input gas=2069 fee=21",
                "balance_of ok gas=2365 fee=24",
                "no-method no-method: mint gas=2000 fee=20");
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void counter(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] counter = h.nextAddress(0);
        List<String> rows = new ArrayList<>();
        rows.add(row("deploy", h.deploy(0, ExampleContract.COUNTER.code(), new byte[0]).outcome()));
        rows.add(row("increment", h.call(1, counter, "increment", new byte[0]).outcome()));
        rows.add(row("increment", h.call(1, counter, "increment", new byte[0]).outcome()));
        TxOutcome get = h.call(0, counter, "get", new byte[0]).outcome();
        rows.add(row("get", get));
        assertThat(h.slot(counter, new byte[32])).isEqualTo(2L);
        assertThat(rows).containsExactly(
                "deploy ok gas=30350 fee=304",
                "increment ok gas=3415 fee=35",
                "increment ok gas=3415 fee=35",
                "get ok gas=2234 fee=23");
    }

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void amm(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        byte[] pool = h.nextAddress(0);
        List<String> rows = new ArrayList<>();
        rows.add(row("deploy", h.deploy(0, ExampleContract.AMM.code(), ContractArgs.i64s(1_000_000, 2_000_000)).outcome()));
        rows.add(row("swap_a_for_b", h.call(1, pool, "swap_a_for_b", ContractArgs.i64s(1000, 1990)).outcome()));
        rows.add(row("swap_b_for_a", h.call(1, pool, "swap_b_for_a", ContractArgs.i64s(5000, 0)).outcome()));
        rows.add(row("swap-slippage", h.call(1, pool, "swap_a_for_b", ContractArgs.i64s(1000, 2000)).outcome()));
        byte[] reserves = h.call(1, pool, "reserves", new byte[0]).returnData();
        // 1000 A in: out = 2000000*997000/(1000000000+997000) = 1992; then 5000 B in: 2491 A out.
        assertThat(ContractArgs.readI64(reserves, 0)).isEqualTo(1_000_000 + 1000 - 2491);
        assertThat(ContractArgs.readI64(reserves, 8)).isEqualTo(2_000_000 - 1992 + 5000);
        assertThat(rows).containsExactly(
                "deploy ok gas=47710 fee=478",
                "swap_a_for_b ok gas=4842 fee=49",
                "swap_b_for_a ok gas=4842 fee=49",
                "swap-slippage revert: slippage gas=2550 fee=26");
    }
}
