package io.bitquan.flow.wasm.module;

/** A module the chain refuses to deploy; the message is the reason shown in the receipt. */
public final class InvalidModuleException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidModuleException(String reason) {
        super(reason, null, false, false);
    }
}
