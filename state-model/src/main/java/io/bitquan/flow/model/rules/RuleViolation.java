package io.bitquan.flow.model.rules;

/**
 * A broken consensus rule: the block that contains it is rejected. Thrown by rule code and
 * caught by executors, which record it as the transaction's outcome (under Block-STM a
 * speculative violation is only final once the transaction's reads validate).
 * No stack trace: it is an expected outcome, not a bug.
 */
public final class RuleViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Rule rule;

    public RuleViolation(Rule rule, String message) {
        super(message, null, false, false);
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }

    @Override
    public String toString() {
        return rule.id() + ": " + getMessage();
    }
}
