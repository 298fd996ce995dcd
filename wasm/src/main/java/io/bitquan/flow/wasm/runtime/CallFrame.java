package io.bitquan.flow.wasm.runtime;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Everything the host API may see of one running call. One per call, confined to its thread. */
final class CallFrame {
    final StorageOverlay state;
    final byte[] self;
    final byte[] caller;
    final long value;
    final long height;
    final long timestamp;
    final byte[] input;
    final List<byte[]> events = new ArrayList<>(2);
    byte[] returnData = new byte[0];
    Instance instance;
    GlobalInstance gas;
    /** Storage keys built in this call, by slot bytes: a read-modify-write builds its key once. */
    private final byte[][] recentSlots = new byte[4][];
    private final StateKey[] recentKeys = new StateKey[4];
    private int recentNext;

    CallFrame(StorageOverlay state, byte[] self, byte[] caller, long value, long height, long timestamp, byte[] input) {
        this.state = state;
        this.self = self;
        this.caller = caller;
        this.value = value;
        this.height = height;
        this.timestamp = timestamp;
        this.input = input;
    }

    /** The storage key of one of this contract's slots. */
    StateKey storageKey(byte[] slot) {
        for (int i = 0; i < recentSlots.length; i++) {
            if (recentSlots[i] != null && Arrays.equals(recentSlots[i], slot)) {
                return recentKeys[i];
            }
        }
        StateKey key = StateKey.storage(self, slot);
        recentSlots[recentNext] = slot;
        recentKeys[recentNext] = key;
        recentNext = (recentNext + 1) % recentSlots.length;
        return key;
    }

    /** Charges host gas before the work it pays for; out of gas ends the call. */
    void charge(long cost) {
        long left = gas.getValue() - cost;
        gas.setValue(left);
        if (left < 0) {
            throw ContractFailure.outOfGas();
        }
    }
}
