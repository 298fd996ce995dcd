package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.wasm.contracts.ContractArgs;
import io.bitquan.flow.wasm.contracts.ContractTxs;
import io.bitquan.flow.wasm.contracts.ExampleContract;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Up-front fee, refund of unused gas, call value, and what rejects the block instead. */
class FeeAndValueTest {

    @Test
    void successfulCallKeepsValueAndRefundsUnusedGas() {
        ContractHarness h = new ContractHarness(ExecutionMode.COMPILED, 2);
        byte[] counter = h.nextAddress(0);
        h.deploy(0, ExampleContract.COUNTER.code(), new byte[0]);
        long before = h.balance(1);
        TxOutcome o = h.call(1, counter, "increment", new byte[0], 5_000, 1_000_000).outcome();
        assertThat(o.success()).isTrue();
        // fee 10,000 for 1,000,000 gas; charged ceil(10,000 * gas / 1,000,000).
        assertThat(o.fee()).isEqualTo((10_000L * o.gasUsed() + 999_999) / 1_000_000);
        assertThat(h.balance(1)).isEqualTo(before - 5_000 - o.fee());
        assertThat(h.balanceOf(counter)).isEqualTo(5_000);
    }

    @Test
    void failedCallReturnsValueAndChargesGas() {
        ContractHarness h = new ContractHarness(ExecutionMode.COMPILED, 2);
        byte[] token = h.nextAddress(0);
        h.deploy(0, ExampleContract.TOKEN.code(), ContractArgs.i64(10));
        long before = h.balance(1);
        TxOutcome o = h.call(1, token, "transfer", ContractArgs.transfer(h.address(0), 11), 7_000, 1_000_000).outcome();
        assertThat(o.status()).isEqualTo("revert: insufficient balance");
        assertThat(o.fee()).isPositive();
        assertThat(h.balance(1)).isEqualTo(before - o.fee());
        assertThat(h.balanceOf(token)).isZero();
    }

    @Test
    void valueBeyondBalanceIsAFailedReceipt() {
        ContractHarness h = new ContractHarness(ExecutionMode.COMPILED, 2);
        byte[] counter = h.nextAddress(0);
        h.deploy(0, ExampleContract.COUNTER.code(), new byte[0]);
        TxOutcome o = h.call(1, counter, "increment", new byte[0], ContractHarness.BALANCE, 1_000_000).outcome();
        assertThat(o.status()).isEqualTo("insufficient-value");
        assertThat(h.slot(counter, new byte[32])).isNull();
    }

    @Test
    void unpayableFeeBadNonceAndBadGasLimitRejectTheBlock() {
        ContractHarness h = new ContractHarness(ExecutionMode.COMPILED, 2);
        byte[] counter = h.nextAddress(0);
        h.deploy(0, ExampleContract.COUNTER.code(), new byte[0]);
        List<String> before = h.snapshot();
        RuleViolation poor = h.applyExpectingViolation(ContractTxs.call(h.users.get(1), h.nonces[1], counter, "increment",
                new byte[0], 0, 1_000_000, ContractHarness.BALANCE + 1));
        assertThat(poor.rule()).isEqualTo(Rule.ACCOUNT_INSUFFICIENT_BALANCE);
        RuleViolation nonce = h.applyExpectingViolation(ContractTxs.call(h.users.get(1), h.nonces[1] + 1, counter, "increment",
                new byte[0], 0, 1_000_000, 10));
        assertThat(nonce.rule()).isEqualTo(Rule.ACCOUNT_BAD_NONCE);
        RuleViolation gas = h.applyExpectingViolation(ContractTxs.call(h.users.get(1), h.nonces[1], counter, "increment",
                new byte[0], 0, 0, 10));
        assertThat(gas.rule()).isEqualTo(Rule.TX_MALFORMED);
        assertThat(h.snapshot()).isEqualTo(before);
    }

    @Test
    void missingContractAndMethodAreFailedReceipts() {
        ContractHarness h = new ContractHarness(ExecutionMode.COMPILED, 2);
        assertThat(h.call(1, new byte[32], "x", new byte[0]).outcome().status()).isEqualTo("no-contract");
        byte[] counter = h.nextAddress(0);
        h.deploy(0, ExampleContract.COUNTER.code(), new byte[0]);
        assertThat(h.call(1, counter, "init", new byte[0]).outcome().status()).isEqualTo("no-method: init");
        assertThat(h.call(1, counter, "memory", new byte[0]).outcome().status()).isEqualTo("no-method: memory");
    }
}
