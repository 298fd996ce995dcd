package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.wasm.runtime.ExecutionMode;
import io.bitquan.flow.wasm.runtime.Status;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A module only Chicory refuses gets one fixed status, never the wording of Chicory's exception. */
class ReceiptStatusVocabularyTest {
    /** memory + one function whose body is {@code i32.add} on an empty stack: well formed, not valid. */
    static final byte[] STACK_UNDERFLOW = {
        0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
        0x01, 0x04, 0x01, 0x60, 0x00, 0x00,                         // type () -> ()
        0x03, 0x02, 0x01, 0x00,                                     // func 0 : type 0
        0x05, 0x03, 0x01, 0x00, 0x01,                               // memory min 1
        0x07, 0x10, 0x02, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, 0x03, 'r', 'u', 'n', 0x00, 0x00,
        0x0a, 0x05, 0x01, 0x03, 0x00, 0x6a, 0x0b,                   // code: i32.add end
    };

    @ParameterizedTest
    @EnumSource(ExecutionMode.class)
    void engineRejectionIsOneFixedStatus(ExecutionMode mode) {
        ContractHarness h = new ContractHarness(mode, 2);
        TxOutcome o = h.deploy(0, STACK_UNDERFLOW, new byte[0], 5_000_000).outcome();
        assertThat(o.success()).isFalse();
        assertThat(o.status()).isEqualTo(Status.ENGINE_REJECTED_MODULE);
        assertThat(o.gasUsed()).isEqualTo(5_000_000);
    }
}
