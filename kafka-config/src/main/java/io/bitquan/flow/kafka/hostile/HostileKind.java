package io.bitquan.flow.kafka.hostile;

import io.bitquan.flow.model.rules.Rule;

/**
 * The classes of hostile {@code chain-events} records the job must survive, each with where it
 * must end up: the dead-letter topic (not a chain event of this job) or a rejected
 * {@code BlockResult} with its rule (a chain event, but an invalid block). The order is the
 * demo's rotation: a short demo shows both outcomes early.
 */
public enum HostileKind {
    /** Seeded random bytes, 1..4096 of them. */
    RANDOM_BYTES(null),
    /** A schema-valid block whose transaction has a prevTxId (or a lock) that is not 32 bytes. */
    MALFORMED_FIELDS(Rule.TX_MALFORMED),
    /** A valid record cut in half. */
    TRUNCATED(null),
    /** A valid record whose schema fingerprint is not ChainEvent's. */
    WRONG_FINGERPRINT(null),
    /** Header + fingerprint, then a string length at Avro's VM limit (its UnsupportedOperationException). */
    HUGE_STRING_LENGTH(null),
    /** Header + fingerprint, then a bytes length just below 2^31 (Avro would allocate ~2 GB). */
    HUGE_BYTES_LENGTH(null),
    /** Header + fingerprint, a plausible block header, then a transaction count just below 2^31. */
    HUGE_ARRAY_LENGTH(null),
    /** A zero-length value. */
    EMPTY_VALUE(null),
    /** A null value (a tombstone). */
    TOMBSTONE(null),
    /** A valid record with junk after it. */
    TRAILING_BYTES(null),
    /** More bytes than the record limit (checked before decoding). */
    OVERSIZED_RECORD(null),
    /** A schema-valid block with more transactions than the chain allows. */
    TOO_MANY_TXS(Rule.BLOCK_TOO_LARGE),
    /** A schema-valid block over the byte cap (within the record limit). */
    OVERSIZED_BLOCK(Rule.BLOCK_TOO_LARGE);

    private final Rule rejectedWith;

    HostileKind(Rule rejectedWith) {
        this.rejectedWith = rejectedWith;
    }

    /** The rule of the rejected BlockResult, or {@code null}: a dead letter. */
    public Rule rejectedWith() {
        return rejectedWith;
    }

    public boolean deadLetter() {
        return rejectedWith == null;
    }
}
