package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.chain.ChainConfig;

/** Overflow-safe amount arithmetic: every sum stays within [0, MAX_MONEY] or the rule fails. */
final class Amounts {
    private Amounts() {}

    static long checkRange(long amount, String what) {
        if (!ChainConfig.inMoneyRange(amount)) {
            throw new RuleViolation(Rule.AMOUNT_RANGE, what + " " + amount + " outside [0, MAX_MONEY]");
        }
        return amount;
    }

    static long add(long a, long b, String what) {
        // Both operands are in range, so the sum cannot overflow a long; only the range can break.
        return checkRange(checkRange(a, what) + checkRange(b, what), what);
    }
}
