package io.bitquan.flow.model.rules;

import java.util.List;

/**
 * What a valid transaction produced besides its writes: the fee it pays into the block's fee
 * accumulator and its receipt fields. A failed contract call is a valid transaction with
 * {@code success == false}.
 */
public record TxOutcome(long fee, long gasUsed, boolean success, String status, List<byte[]> events) {
    public static final String OK = "ok";

    public static TxOutcome ok(long fee) {
        return new TxOutcome(fee, 0, true, OK, List.of());
    }
}
