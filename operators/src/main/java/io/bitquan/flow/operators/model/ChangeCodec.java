package io.bitquan.flow.operators.model;

import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.util.ArrayList;
import java.util.List;

/**
 * State changes as bytes (VERSION 1: count, then per change: key, old present + old, new present
 * + new, all canonical encodings). Used on the wire between operators and in undo records.
 */
public final class ChangeCodec {
    private ChangeCodec() {}

    public static byte[] encode(List<StateChange> changes) {
        CanonicalWriter w = new CanonicalWriter(64 * changes.size() + 4);
        w.i32(changes.size());
        for (StateChange c : changes) {
            w.bytes(c.key().encoded());
            value(w, c.oldValue());
            value(w, c.newValue());
        }
        return w.toByteArray();
    }

    private static void value(CanonicalWriter w, StateValue v) {
        w.bool(v != null);
        if (v != null) {
            w.bytes(v.encode());
        }
    }

    public static List<StateChange> decode(byte[] bytes) {
        if (bytes == null) {
            return List.of();
        }
        CanonicalReader r = new CanonicalReader(bytes);
        int n = r.i32();
        List<StateChange> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StateKey key = StateKey.decode(r.bytes());
            StateValue oldValue = r.bool() ? StateValue.decode(key.kind(), r.bytes()) : null;
            StateValue newValue = r.bool() ? StateValue.decode(key.kind(), r.bytes()) : null;
            out.add(new StateChange(key, oldValue, newValue));
        }
        r.expectEnd();
        return out;
    }
}
