package io.bitquan.flow.execution.blockstm;

/**
 * The paper's "version": which incarnation of which transaction produced a value.
 * Immutable; two versions are equal iff they name the same execution.
 */
public record Version(int txIndex, int incarnation) {
    @Override
    public String toString() {
        return "(" + txIndex + "," + incarnation + ")";
    }
}
