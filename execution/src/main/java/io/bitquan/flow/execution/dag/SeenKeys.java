package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.state.StateKey;

/**
 * The keys one predicting worker has met so far in a block, so that it reads a key's base value
 * only at its own first access of that key ({@link NativePrediction#of(io.bitquan.flow.model.rules.PreparedTx,
 * io.bitquan.flow.model.state.StateView, KeyHasher, SeenKeys)}). Only the block's first access of a
 * key uses the base value read in the prediction ({@link AccessDag#values}); every later access
 * of the key reads the slot its predecessors wrote. A worker claims prediction chunks in block
 * order, so a key it has met before sits at an earlier access than this one: this access is not
 * the block's first, and its read would be thrown away. The block's first access is the first
 * of the worker that predicts it, so it is always read. (If it were not, nothing would go wrong:
 * a slot without a predicted base value is read from the base by the run, {@link DagRun#value}.)
 * Measured (round 18, JFR of transfer/10000 at two workers): the prediction's base reads were
 * 18 % of the schedule's CPU, with 20,001 accesses of 4,356 keys, three in four of those reads
 * of a key read before.
 * <p>Open addressing on the key's cached hash; one per worker per block; not thread-safe.
 */
final class SeenKeys {
    private StateKey[] table;
    private int size;

    /** @param expected about how many distinct keys the worker will meet (the table grows past it) */
    SeenKeys(int expected) {
        table = new StateKey[Integer.highestOneBit(Math.max(32, expected) * 2 - 1) * 2];
    }

    /** True the first time this worker meets {@code key} in the block (it is then remembered). */
    boolean firstTime(StateKey key) {
        StateKey[] t = table;
        int mask = t.length - 1;
        for (int i = spread(key.hashCode()) & mask; ; i = (i + 1) & mask) {
            StateKey held = t[i];
            if (held == null) {
                t[i] = key;
                if (++size * 2 > t.length) {
                    grow();
                }
                return true;
            }
            if (held.equals(key)) {
                return false;
            }
        }
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B9;
    }

    private void grow() {
        StateKey[] old = table;
        StateKey[] t = new StateKey[old.length * 2];
        int mask = t.length - 1;
        for (StateKey k : old) {
            if (k != null) {
                int i = spread(k.hashCode()) & mask;
                while (t[i] != null) {
                    i = (i + 1) & mask;
                }
                t[i] = k;
            }
        }
        table = t;
    }
}
