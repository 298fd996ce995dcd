package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.StateWrite;
import java.util.ArrayList;
import java.util.List;

/** Byte-level comparison of two block outputs (stats excluded: they describe how, not what). */
public final class OutputAssertions {
    private OutputAssertions() {}

    /** A canonical text rendering of everything that is part of a result's identity. */
    public static List<String> canonical(BlockOutput out) {
        List<String> lines = new ArrayList<>();
        lines.add("accepted=" + out.accepted() + " fees=" + out.fees());
        lines.add("violation=" + (out.violation() == null ? "-" : out.violation().rule().id() + " tx=" + out.violationTx()
                + " msg=" + out.violation().getMessage()));
        for (StateWrite w : out.writes()) {
            lines.add("w " + Bytes.hex(w.key().encoded()) + " " + (w.value() == null ? "DELETE" : Bytes.hex(w.value().encode())));
        }
        for (TxOutcome o : out.outcomes()) {
            StringBuilder events = new StringBuilder();
            for (byte[] e : o.events()) {
                events.append(Bytes.hex(e)).append(',');
            }
            lines.add("o fee=" + o.fee() + " gas=" + o.gasUsed() + " ok=" + o.success() + " status=" + o.status() + " ev=" + events);
        }
        return lines;
    }

    public static void assertSameResult(BlockOutput actual, BlockOutput expected, String what) {
        assertThat(canonical(actual)).as(what).containsExactlyElementsOf(canonical(expected));
    }

    /**
     * The predicted schedule's promise: the sequential result, every transaction executed exactly
     * once, with no abort, no validation and no fallback.
     */
    public static void assertScheduledOnce(BlockOutput actual, BlockOutput expected, int txs, String what) {
        assertSameResult(actual, expected, what);
        assertThat(actual.stats().executions()).as(what).isEqualTo(txs);
        assertThat(actual.stats().aborts()).as(what).isZero();
        assertThat(actual.stats().validations()).as(what).isZero();
        assertThat(actual.stats().fallbacks()).as(what).isZero();
    }
}
