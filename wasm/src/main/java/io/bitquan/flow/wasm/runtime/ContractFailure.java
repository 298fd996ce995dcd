package io.bitquan.flow.wasm.runtime;

/**
 * Raised by host functions to end a call with a failed receipt (revert, out of gas, a host-level
 * trap such as an oversized value). Never escapes the runtime. No stack trace: an expected outcome.
 */
final class ContractFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String status;

    ContractFailure(String status) {
        super(status, null, false, false);
        this.status = status;
    }

    String status() {
        return status;
    }

    static ContractFailure outOfGas() {
        return new ContractFailure(Status.OUT_OF_GAS);
    }

    static ContractFailure trap(String why) {
        return new ContractFailure(Status.TRAP_PREFIX + why);
    }
}
