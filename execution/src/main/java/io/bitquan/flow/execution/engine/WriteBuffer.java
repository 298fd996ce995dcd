package io.bitquan.flow.execution.engine;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.model.state.StateWrite;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One transaction's writes buffered over an underlying view: reads see the buffer first, so a
 * transaction sees its own writes. Nothing reaches the underlying state until the owner copies
 * {@link #writes()} there. Single-threaded.
 */
public final class WriteBuffer implements StateAccess {
    /** Marks a buffered delete, since maps cannot hold null as "present but absent". */
    private static final Object DELETED = new Object();

    private final StateView under;
    private final Map<StateKey, Object> buffered;

    public WriteBuffer(StateView under) {
        this(under, 8);
    }

    /** @param expectedKeys sizes the buffer up front (a block's buffer would otherwise rehash many times) */
    public WriteBuffer(StateView under, int expectedKeys) {
        this.under = under;
        this.buffered = new HashMap<>(Math.max(8, expectedKeys * 4 / 3 + 1));
    }

    @Override
    public StateValue read(StateKey key) {
        Object value = buffered.get(key);
        if (value == null) {
            return under.read(key);
        }
        return value == DELETED ? null : (StateValue) value;
    }

    @Override
    public void write(StateKey key, StateValue value) {
        buffered.put(key, value == null ? DELETED : value);
    }

    /** The buffered writes, sorted by key. */
    public List<StateWrite> writes() {
        StateWrite[] out = new StateWrite[buffered.size()];
        int i = 0;
        for (Map.Entry<StateKey, Object> e : buffered.entrySet()) {
            Object v = e.getValue();
            out[i++] = new StateWrite(e.getKey(), v == DELETED ? null : (StateValue) v);
        }
        KeyOrder.sort(out, 0, out.length);
        return Arrays.asList(out);
    }

    public boolean isEmpty() {
        return buffered.isEmpty();
    }
}
