package io.bitquan.flow.execution.blockstm;

import io.bitquan.flow.model.chain.ChainConfig;

/**
 * Sums of pending credits. Each credit is in [0, MAX_MONEY]; a sum past MAX_MONEY can only
 * end in a range violation, so it is capped at MAX_MONEY + 1 (sticky) and never overflows a long
 * however many credits a hot account receives.
 */
final class CreditMath {
    static final long OVER = ChainConfig.MAX_MONEY + 1;

    private CreditMath() {}

    static long add(long sum, long credit) {
        long s = sum + credit;
        return s > OVER || s < 0 ? OVER : s;
    }
}
