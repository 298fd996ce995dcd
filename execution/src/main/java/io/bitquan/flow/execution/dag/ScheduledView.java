package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;

/**
 * What the VM sees on the scheduled path: the running transaction's predicted keys, read and
 * written in place in the run's per-key value slots (the schedule gives the transaction its
 * written keys exclusively while it runs, and its read-only keys shared with other readers). A
 * key outside the prediction, or a write to a key predicted read-only, throws
 * {@link Misprediction}.
 * One per worker, re-aimed at each transaction; single-threaded.
 */
final class ScheduledView implements StateAccess {
    private final DagRun run;
    private final AccessDag dag;
    private int first;
    private int end;
    /** Key ids this worker wrote (with repeats), for the run's write set. */
    private int[] writtenIds = new int[64];
    private int writes;

    ScheduledView(DagRun run, AccessDag dag) {
        this.run = run;
        this.dag = dag;
    }

    void aimAt(int tx) {
        first = dag.accessStart[tx];
        end = dag.accessStart[tx + 1];
    }

    @Override
    public StateValue read(StateKey key) {
        return run.value(dag.accessKey[accessOf(key)]);
    }

    @Override
    public void write(StateKey key, StateValue value) {
        int a = accessOf(key);
        if (!dag.accessWrites[a]) {
            throw Misprediction.INSTANCE; // predicted as read only: readers of it may be running
        }
        int id = dag.accessKey[a];
        run.set(id, value);
        if (writes == writtenIds.length) {
            writtenIds = java.util.Arrays.copyOf(writtenIds, writes * 2);
        }
        writtenIds[writes++] = id;
    }

    /** Marks every key id this view wrote (after the run); how many it marked that were not marked yet. */
    int markWritten(boolean[] written) {
        int marked = 0;
        for (int i = 0; i < writes; i++) {
            int id = writtenIds[i];
            if (!written[id]) {
                written[id] = true;
                marked++;
            }
        }
        return marked;
    }

    /** A linear scan: a transaction predicts 1-6 keys, fewer compares than one hash lookup costs. */
    private int accessOf(StateKey key) {
        int[] accessKey = dag.accessKey;
        KeyIndex keys = dag.keys;
        for (int a = first; a < end; a++) {
            StateKey predicted = keys.key(accessKey[a]);
            if (predicted == key || predicted.equals(key)) {
                return a;
            }
        }
        throw Misprediction.INSTANCE;
    }
}
