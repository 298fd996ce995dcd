package io.bitquan.flow.execution.blockstm;

/** A scheduler task (paper: a version plus EXECUTION_TASK or VALIDATION_TASK). Immutable. */
public record Task(Kind kind, int txIndex, int incarnation) {
    public enum Kind { EXECUTION, VALIDATION }

    static Task execution(int txIndex, int incarnation) {
        return new Task(Kind.EXECUTION, txIndex, incarnation);
    }

    static Task validation(int txIndex, int incarnation) {
        return new Task(Kind.VALIDATION, txIndex, incarnation);
    }
}
