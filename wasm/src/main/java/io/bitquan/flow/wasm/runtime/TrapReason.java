package io.bitquan.flow.wasm.runtime;

import java.util.Locale;

/**
 * Canonical trap reasons for receipts. Chicory's interpreter and compiler word the same trap
 * differently (the interpreter adds addresses and limits), and a receipt's status is hashed into
 * the receipts root, so only these fixed strings ever reach a receipt.
 */
final class TrapReason {
    private TrapReason() {}

    static String of(String chicoryMessage) {
        String m = chicoryMessage == null ? "" : chicoryMessage.toLowerCase(Locale.ROOT);
        if (m.contains("out of bounds memory")) {
            return "out of bounds memory access";
        }
        if (m.contains("divide by zero") || m.contains("division by zero")) {
            return "integer divide by zero";
        }
        if (m.contains("integer overflow")) {
            return "integer overflow";
        }
        if (m.contains("unreachable")) {
            return "unreachable";
        }
        if (m.contains("indirect call type mismatch") || m.contains("type mismatch")) {
            return "indirect call type mismatch";
        }
        if (m.contains("undefined element") || m.contains("uninitialized element") || m.contains("out of bounds table")) {
            return "undefined table element";
        }
        return "wasm trap";
    }
}
