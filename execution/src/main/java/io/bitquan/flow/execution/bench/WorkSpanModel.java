package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A work/span model of one block, for stating speedups on machines we do not have. The block is
 * executed sequentially {@code reps} times with every transaction's VM time measured (median per
 * transaction) and its accesses recorded; the final dependency graph links a transaction to the
 * transactions whose writes it read: the last full writer of each key it read and every credit to
 * that key since (a credit reads nothing, so it depends on nothing and nothing waits for it except
 * a later reader, exactly as commutative credits behave in Block-STM).
 *
 * <ul>
 *   <li>{@code work} = sum of transaction costs; {@code span} = the longest cost-weighted path;
 *       {@code work / span} is the block's available parallelism.</li>
 *   <li>The simulated time at P workers is greedy list scheduling in block order on that graph
 *       (a transaction starts when a worker is free and everything it read has finished), each
 *       transaction charged its cost plus the measured per-transaction engine overhead; the
 *       simulated speedup is work / that time (at 1 worker it is the measured 1-thread ratio).</li>
 * </ul>
 * It is an optimistic bound in one way (no aborts: a perfect scheduler that knows the final
 * dependencies) and a pessimistic one in another (the whole measured overhead, serial parts
 * included, is charged per transaction on every worker; none of it is assumed to shrink).
 */
public final class WorkSpanModel {

    /**
     * @param workMs       sequential time of the block in the model (sum of per-transaction shares)
     * @param spanMs       longest dependency path, cost-weighted
     * @param overheadUs   per-transaction engine overhead charged in the simulation
     * @param simulated    worker count -> simulated speedup over sequential
     */
    public record Result(double workMs, double spanMs, double overheadUs, Map<Integer, Double> simulated) {
        public double parallelism() {
            return spanMs == 0 ? 1 : workMs / spanMs;
        }
    }

    /** Worker counts reported. */
    public static final int[] WORKERS = {4, 8, 16, 32};

    private WorkSpanModel() {}

    /** What one transaction read and wrote: keys it read, keys it wrote in full, keys it only credited. */
    record Access(List<StateKey> reads, List<StateKey> writes, List<StateKey> credits) {}

    /**
     * Measures the block and simulates it. Everything is in the units of the model's own
     * sequential passes, so a busy machine scales all terms alike: each transaction's share of a
     * pass is its measured VM time scaled so the shares add up to the pass's wall time (the
     * engine's bookkeeping spread in proportion), and the engine overhead is charged as the
     * measured fraction {@code overheadFraction} of the mean share.
     *
     * @param overheadFraction the parallel machinery at one worker / sequential - 1, measured
     *                         interleaved in the same run ({@link MachineryOverhead}; floored at 0)
     */
    public static Result measure(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int reps,
                                 double overheadFraction) {
        int n = txs.size();
        long[][] nanos = new long[reps][n];
        long[] passes = new long[reps];
        List<Access> accesses = null;
        // One unmeasured pass first: the first pass pays for class loading and JIT compilation,
        // which lands on whichever transactions come first and would lengthen the span.
        runOnce(block, txs, base, vm, new long[n]);
        for (int r = 0; r < reps; r++) {
            long t0 = System.nanoTime();
            List<Access> recorded = runOnce(block, txs, base, vm, nanos[r]);
            passes[r] = System.nanoTime() - t0;
            if (accesses == null) {
                accesses = recorded;
            }
        }
        double[] costUs = new double[n];
        long[] column = new long[reps];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < reps; r++) {
                column[r] = nanos[r][i];
            }
            Arrays.sort(column);
            costUs[i] = column[reps / 2] / 1000.0;
        }
        Arrays.sort(passes);
        double sequentialUs = passes[reps / 2] / 1000.0;
        double vmUs = Arrays.stream(costUs).sum();
        double scale = vmUs > 0 ? Math.max(1.0, sequentialUs / vmUs) : 1.0;
        for (int i = 0; i < n; i++) {
            costUs[i] *= scale;
        }
        return model(accesses, costUs, overheadFraction);
    }

    /** The model for given per-transaction costs: work, span and the simulated speedups. */
    static Result model(List<Access> accesses, double[] costUs, double overheadFraction) {
        int n = costUs.length;
        double work = Arrays.stream(costUs).sum();
        double span = schedule(accesses, costUs, 0, Integer.MAX_VALUE);
        double overhead = n == 0 ? 0 : Math.max(0, overheadFraction) * work / n;
        Map<Integer, Double> simulated = new java.util.LinkedHashMap<>();
        for (int p : WORKERS) {
            simulated.put(p, work / schedule(accesses, costUs, overhead, p));
        }
        return new Result(work / 1000.0, span / 1000.0, overhead, simulated);
    }

    /** The block's accesses from one sequential pass: the dependency graph without timings. */
    static List<Access> record(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm) {
        return runOnce(block, txs, base, vm, new long[txs.size()]);
    }

    /**
     * Greedy list scheduling in block order on {@code workers} workers; returns the makespan in
     * microseconds. With unbounded workers and no overhead it is the span.
     */
    static double schedule(List<Access> accesses, double[] costUs, double overheadUs, int workers) {
        int n = costUs.length;
        Map<StateKey, Double> ready = new HashMap<>(n * 2);
        PriorityQueue<Double> free = new PriorityQueue<>();
        int started = 0;
        double makespan = 0;
        for (int i = 0; i < n; i++) {
            Access a = accesses.get(i);
            double dataReady = 0;
            for (StateKey k : a.reads()) {
                Double t = ready.get(k);
                if (t != null) {
                    dataReady = Math.max(dataReady, t);
                }
            }
            double workerFree = 0;
            if (workers != Integer.MAX_VALUE) {
                if (started < workers) {
                    started++;
                } else {
                    workerFree = free.poll();
                }
            }
            double end = Math.max(dataReady, workerFree) + costUs[i] + overheadUs;
            if (workers != Integer.MAX_VALUE) {
                free.add(end);
            }
            makespan = Math.max(makespan, end);
            for (StateKey k : a.writes()) {
                ready.put(k, end); // a later reader needs this write (and credits after it)
            }
            for (StateKey k : a.credits()) {
                ready.merge(k, end, Math::max);
            }
        }
        return makespan;
    }

    /** One sequential pass recording per-transaction VM time and accesses; stops at the first violation. */
    private static List<Access> runOnce(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, long[] nanos) {
        Map<StateKey, StateValue> state = new HashMap<>(txs.size() * 4);
        List<Access> out = new ArrayList<>(txs.size());
        for (int i = 0; i < txs.size(); i++) {
            RecordingAccess access = new RecordingAccess(key -> state.containsKey(key) ? state.get(key) : base.read(key));
            long t0 = System.nanoTime();
            try {
                vm.execute(txs.get(i), block, access);
            } catch (RuleViolation violation) {
                access.local.clear();
            }
            nanos[i] = System.nanoTime() - t0;
            state.putAll(access.local);
            out.add(new Access(access.reads, access.writes, access.credits));
        }
        return out;
    }

    /** A transaction's view for the model: buffers writes, records first reads, full writes and pure credits. */
    private static final class RecordingAccess implements StateAccess {
        final StateView under;
        final Map<StateKey, StateValue> local = new HashMap<>(8);
        final List<StateKey> reads = new ArrayList<>(4);
        final List<StateKey> writes = new ArrayList<>(4);
        final List<StateKey> credits = new ArrayList<>(2);

        RecordingAccess(StateView under) {
            this.under = under;
        }

        @Override
        public StateValue read(StateKey key) {
            if (local.containsKey(key)) {
                return local.get(key);
            }
            if (!reads.contains(key)) {
                reads.add(key);
            }
            return under.read(key);
        }

        @Override
        public void write(StateKey key, StateValue value) {
            local.put(key, value);
            if (!writes.contains(key)) {
                writes.add(key);
            }
            credits.remove(key);
        }

        @Override
        public void credit(StateKey key, long amount) {
            boolean pure = !local.containsKey(key) && !reads.contains(key);
            StateAccess.super.credit(key, amount); // reads and writes through this view
            if (pure) {
                // Undo the bookkeeping of the read-modify-write: a pure credit reads nothing.
                reads.remove(key);
                writes.remove(key);
                credits.add(key);
            }
        }
    }
}
