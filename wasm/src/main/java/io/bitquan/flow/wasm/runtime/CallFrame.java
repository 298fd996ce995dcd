package io.bitquan.flow.wasm.runtime;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import java.util.ArrayList;
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

    CallFrame(StorageOverlay state, byte[] self, byte[] caller, long value, long height, long timestamp, byte[] input) {
        this.state = state;
        this.self = self;
        this.caller = caller;
        this.value = value;
        this.height = height;
        this.timestamp = timestamp;
        this.input = input;
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
