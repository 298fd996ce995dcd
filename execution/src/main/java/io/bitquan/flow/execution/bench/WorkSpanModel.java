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
import java.util.LinkedHashMap;
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
 *       (a transaction starts when a worker is free and everything it read has finished), with
 *       the block's measured {@link Parts} at P run the way the predicted schedule runs them.</li>
 *   <li><b>Measured parts</b> (round 18; {@link ScheduleParts}, predicted blocks only; an
 *       optimistic block has none): the predicted schedule's steps outside the transactions,
 *       each timed with the real {@code dag} code on one thread as a share of the sequential
 *       block timed in the same loop ({@link Charge}):
 *       <ul>
 *         <li>the prediction pass (with the linkers' shard counts) is spread over the P workers,
 *             then one worker allocates the graph (serial): no transaction starts before;</li>
 *         <li>the link's span: the serial link below 4 workers; from 4 workers the engine links
 *             with P / 2 linkers ({@link ScheduleParts#linkersAt}) and the span is the largest
 *             shard's link measured at that linker count. The linkers' workers link while the
 *             others execute what is linked: transaction i is released at {@code link x (i + 1)
 *             / n} (the linkers progress evenly through the block);</li>
 *         <li>the sort of the writable keys: one linker, after its link (serial, beside the run);</li>
 *         <li>the collect: after every transaction and the sort, spread over the P workers (they
 *             make the write objects together).</li>
 *       </ul>
 *       Assumed, not measured: a part's time does not grow with the worker count (shared lines
 *       between linkers or predictors are not modelled: on this 2-core machine they show only at
 *       2), spreading is perfect, the linkers progress evenly, and the {@code sim P} figures at
 *       4-32 workers are read on the linker counts measured here, not on the engine running them.
 *       The same parts simply added up in series with the run ({@code inSeries}: nothing overlaps
 *       the transactions) are kept beside them as the pessimistic reading.</li>
 *   <li>Calibrated to what this machine measures with more than one worker (round 13): the
 *       engine's 2-worker run with the fallback off, against sequential in the same run
 *       ({@link Calibration#measuredTwo}), on a machine whose two threads give at most
 *       {@link Calibration#ceilingTwo} ({@link MachineCeiling}). Each worker is taken to run at the
 *       efficiency {@code e = min(1, ceiling / 2)} the ceiling shows (raised, up to 1, to what the
 *       2-worker run shows if that beat the ceiling: a busier minute), and what the 2-worker run
 *       costs beyond {@code e}-scaled list scheduling of the bare work with the parts is fitted in
 *       one of two ways:
 *       <ol>
 *         <li>{@code simulated} (the headline): a per-transaction overhead, the same for every
 *             transaction and every worker count (it is spread over the workers as the work
 *             is). It reproduces the measured 2-worker ratio exactly. It may be negative: the
 *             transactions of the predicted run cost less than the sequential engine's (the
 *             prediction built their keys, hashed their public keys and read their base values,
 *             rounds 9-12), down to crediting back what the parts take at 2 workers and never
 *             below a transaction's cost; without parts it is at least 0 (a run beyond the
 *             model's bare schedule is left above it, not explained by a negative cost);</li>
 *         <li>{@code simulatedSerial}: the same excess as a serial part that no worker count
 *             shrinks (Amdahl), at least 0 (then {@code sim 2} can read below the measurement).</li>
 *       </ol>
 *       Two measured points (sequential, two workers) cannot tell the two apart, so they bound the
 *       residual's many-core figure from above and below under the assumption that nothing grows
 *       with the worker count (shared counters and cache-line traffic that do are not modelled).
 *       The same two fits without the parts (rounds 13-17's single fitted number:
 *       {@code fitOnly}, {@code fitOnlySerial}) are kept beside them for comparison: they charge
 *       the serial link of the 2-worker run to every worker count either per transaction or in
 *       full.</li>
 * </ul>
 * No aborts are modelled (a scheduler that knows the final dependencies); the fitted overhead
 * includes whatever the measured run lost to its own aborts, waits and hand-offs.
 */
public final class WorkSpanModel {

    /**
     * What the model is calibrated with, all measured in the same bench run as the block.
     *
     * @param machineryAtOne the parallel machinery at one worker / sequential - 1 ({@link MachineryOverhead};
     *                       shown for reference, not charged: the engine does not run it at one worker)
     * @param measuredTwo    sequential time / the 2-worker run with the fallback off (the speedup the
     *                       model's 2-worker prediction is fitted to); NaN = not measured, no overhead fitted
     * @param ceilingTwo     the machine's 2-thread ceiling for this block ({@link MachineCeiling});
     *                       NaN = not measured, efficiency 1
     */
    public record Calibration(double machineryAtOne, double measuredTwo, double ceilingTwo) {
        /** A worker's efficiency when two run: the ceiling's share of a perfect 2x, at most 1. */
        double efficiency() {
            return Double.isNaN(ceilingTwo) || ceilingTwo <= 0 ? 1.0 : Math.min(1.0, ceilingTwo / 2);
        }
    }

    /**
     * The parts at one worker count, as shares of the sequential block (see the class comment):
     * {@code predict} (with the linkers' shard counts) and {@code collect} are spread over the
     * workers, {@code alloc}, {@code link} (the span at {@code linkers} linkers) and {@code sort}
     * are not.
     */
    public record Charge(double predict, double alloc, double link, double sort, double collect, int linkers) {
        static final Charge NONE = new Charge(0, 0, 0, 0, 0, 1);

        /** The parts added up, as if nothing overlapped the transactions (Amdahl's view). */
        double inSeries(int workers) {
            return (predict + collect) / workers + alloc + link + sort;
        }
    }

    /** The measured parts by worker count ({@link ScheduleParts}); empty: none (an optimistic block). */
    public record Parts(Map<Integer, Charge> byWorkers) {
        public static final Parts NONE = new Parts(Map.of());

        public Parts {
            byWorkers = Map.copyOf(byWorkers);
        }

        Charge at(int workers) {
            return byWorkers.getOrDefault(workers, Charge.NONE);
        }

        /** The share of the sequential block the parts take at {@code workers}, added up. */
        double inSeries(int workers) {
            return at(workers).inSeries(workers);
        }

        /**
         * The parts of a measured block, charged as the class comment says, at the engine's linker
         * count for each worker count.
         */
        static Parts of(ScheduleParts.Result measured, int txs) {
            if (measured == null) {
                return NONE;
            }
            Map<Integer, Charge> charges = new LinkedHashMap<>();
            double seq = measured.sequentialMs();
            for (int p : WORKERS) {
                int linkers = ScheduleParts.linkersAt(p, txs);
                ScheduleParts.Link l = measured.links().get(linkers);
                charges.put(p, new Charge((measured.predictMs() + l.countMs()) / seq, l.allocMs() / seq, l.spanMs() / seq,
                        l.sortMs() / seq, measured.collectMs() / seq, linkers));
            }
            return new Parts(charges);
        }
    }

    /**
     * @param workMs          sequential time of the block in the model (sum of per-transaction shares)
     * @param spanMs          longest dependency path, cost-weighted
     * @param calibration     what the fit used
     * @param parts           the measured parts charged ({@link Parts#NONE}: none)
     * @param efficiency      a worker's efficiency when two run, as used: min(1, ceiling / 2), raised to
     *                        what the measured 2-worker run shows when that beat the ceiling
     * @param overheadShare   fitted per-transaction overhead beside the parts, as a share of the mean
     *                        transaction cost (negative: the run's transactions cost less than the
     *                        sequential engine's, the prediction having done part of their work)
     * @param serialShare     the alternative fit beside the parts: a serial part, as a share of the work
     * @param simulated       worker count -> simulated speedup: the parts as the engine runs them (the
     *                        link beside the run) + per-transaction overhead; the headline
     * @param inSeries        worker count -> the parts added up in series with the run (no overlap) +
     *                        a per-transaction overhead fitted to that
     * @param simulatedSerial worker count -> the parts as the engine runs them + the serial residual
     * @param fitOnly         worker count -> the single fitted number per transaction, no parts (rounds 13-17)
     * @param fitOnlySerial   worker count -> the single fitted number as a serial part, no parts (rounds 13-17)
     */
    public record Result(double workMs, double spanMs, Calibration calibration, Parts parts, double efficiency,
                         double overheadShare, double serialShare,
                         Map<Integer, Double> simulated, Map<Integer, Double> inSeries, Map<Integer, Double> simulatedSerial,
                         Map<Integer, Double> fitOnly, Map<Integer, Double> fitOnlySerial) {
        public double parallelism() {
            return spanMs == 0 ? 1 : workMs / spanMs;
        }
    }

    /** Worker counts reported (2: the fit, to read beside the measured 2-worker ratio). */
    public static final int[] WORKERS = {2, 4, 8, 16, 32};

    private WorkSpanModel() {}

    /** What one transaction read and wrote: keys it read, keys it wrote in full, keys it only credited. */
    record Access(List<StateKey> reads, List<StateKey> writes, List<StateKey> credits) {}

    /**
     * Measures the block and simulates it. Everything is in the units of the model's own
     * sequential passes, so a busy machine scales all terms alike: each transaction's share of a
     * pass is its measured VM time scaled so the shares add up to the pass's wall time (the
     * engine's bookkeeping spread in proportion); the calibration is in ratios.
     */
    public static Result measure(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int reps,
                                 Calibration calibration, Parts parts) {
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
        return model(accesses, costUs, calibration, parts);
    }

    /** The model without measured parts (an optimistic block). */
    static Result model(List<Access> accesses, double[] costUs, Calibration calibration) {
        return model(accesses, costUs, calibration, Parts.NONE);
    }

    /** The model for given per-transaction costs and parts: work, span, the fits and the simulated speedups. */
    static Result model(List<Access> accesses, double[] costUs, Calibration calibration, Parts parts) {
        int n = costUs.length;
        double work = Arrays.stream(costUs).sum();
        double span = schedule(accesses, costUs, 0, Integer.MAX_VALUE);
        double e = calibration.efficiency();
        boolean fit = n > 0 && work > 0 && calibration.measuredTwo() > 0;
        if (fit) {
            // No engine beats the machine: a 2-worker run faster than the ceiling allows says the
            // ceiling was measured in a busier minute than the run (on a shared machine the two are
            // measured apart), so the efficiency is raised to what the run itself shows, never above 1
            e = Math.min(1.0, Math.max(e, calibration.measuredTwo() * schedule(accesses, costUs, 0, 2) / work));
        }
        double overhead = 0;
        double seriesOverhead = 0;
        double serial = 0;
        double fitOnlyOverhead = 0;
        double fitOnlySerial = 0;
        if (fit) {
            // the time the measured ratio says two workers took, in the model's units, before the
            // efficiency: e * work / ratio (a worker at efficiency e takes 1 / e of the time)
            double target = e * work / calibration.measuredTwo();
            double bareTwo = schedule(accesses, costUs, 0, 2);
            fitOnlyOverhead = fitOverhead(accesses, costUs, target, 2, 0, Charge.NONE, work);
            fitOnlySerial = Math.max(0, target - bareTwo);
            double charged = parts.inSeries(2) * work;
            // credit back at most what the parts take at 2 workers (2 workers run n / 2
            // transactions each), and never more than a transaction's own cost
            double lowest = -Math.min(Arrays.stream(costUs).min().orElse(0), 2 * charged / n);
            overhead = fitOverhead(accesses, costUs, target, 2, lowest, parts.at(2), work);
            seriesOverhead = fitOverhead(accesses, costUs, target - charged, 2, lowest, Charge.NONE, work);
            serial = Math.max(0, target - schedule(accesses, costUs, 0, 2, parts.at(2), work));
        }
        Map<Integer, Double> simulated = new LinkedHashMap<>();
        Map<Integer, Double> inSeries = new LinkedHashMap<>();
        Map<Integer, Double> simulatedSerial = new LinkedHashMap<>();
        Map<Integer, Double> fitOnly = new LinkedHashMap<>();
        Map<Integer, Double> fitOnlySerialMap = new LinkedHashMap<>();
        for (int p : WORKERS) {
            double bare = schedule(accesses, costUs, 0, p);
            simulated.put(p, e * work / schedule(accesses, costUs, overhead, p, parts.at(p), work));
            inSeries.put(p, e * work / (parts.inSeries(p) * work + schedule(accesses, costUs, seriesOverhead, p)));
            simulatedSerial.put(p, e * work / (serial + schedule(accesses, costUs, 0, p, parts.at(p), work)));
            fitOnly.put(p, e * work / schedule(accesses, costUs, fitOnlyOverhead, p));
            fitOnlySerialMap.put(p, e * work / (fitOnlySerial + bare));
        }
        double meanCost = n == 0 ? 0 : work / n;
        return new Result(work / 1000.0, span / 1000.0, calibration, parts, e, meanCost == 0 ? 0 : overhead / meanCost,
                work == 0 ? 0 : serial / work, simulated, inSeries, simulatedSerial, fitOnly, fitOnlySerialMap);
    }

    /**
     * The per-transaction overhead (us, at least {@code lowestUs}) at which list scheduling with
     * the parts {@code charge} on {@code workers} workers takes {@code targetUs}; {@code lowestUs}
     * when even that takes longer (the measured run beat the model's schedule at that
     * efficiency). The makespan grows with the overhead without bound (each worker pays it per
     * transaction), so bisection converges; to 1e-7 of the mean cost.
     */
    static double fitOverhead(List<Access> accesses, double[] costUs, double targetUs, int workers, double lowestUs,
                              Charge charge, double workUs) {
        if (schedule(accesses, costUs, lowestUs, workers, charge, workUs) >= targetUs) {
            return lowestUs;
        }
        double mean = Arrays.stream(costUs).sum() / costUs.length;
        double low = lowestUs;
        double high = Math.max(mean, 1e-9);
        while (schedule(accesses, costUs, high, workers, charge, workUs) < targetUs) {
            low = high;
            high *= 2;
        }
        while (high - low > 1e-7 * Math.max(mean, 1e-9)) {
            double mid = (low + high) / 2;
            if (schedule(accesses, costUs, mid, workers, charge, workUs) < targetUs) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return (low + high) / 2;
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
        return schedule(accesses, costUs, overheadUs, workers, Charge.NONE, 0);
    }

    /**
     * As {@link #schedule(List, double[], double, int)}, with the parts run as the predicted
     * schedule runs them ({@code workUs} converts their shares): the workers predict together and
     * one allocates the graph, then {@code linkers} of them link while the rest execute what is
     * linked (transaction i is released when the link has gone through its share of the block,
     * {@code link x (i + 1) / n}: the linkers progress evenly), one linker sorts after linking,
     * and once every transaction and the sort are done the workers make the write set together.
     */
    static double schedule(List<Access> accesses, double[] costUs, double overheadUs, int workers, Charge charge, double workUs) {
        int n = costUs.length;
        boolean bounded = workers != Integer.MAX_VALUE;
        double start = bounded ? workUs * (charge.predict() / workers + charge.alloc()) : 0;
        double link = workUs * charge.link();
        double sorted = start + link + workUs * charge.sort();
        Map<StateKey, Double> ready = new HashMap<>(n * 2);
        PriorityQueue<Double> free = new PriorityQueue<>();
        if (bounded) {
            int linkers = Math.min(charge.linkers(), workers);
            for (int w = 0; w < workers; w++) {
                free.add(w < workers - linkers ? start : w < workers - 1 ? start + link : sorted);
            }
        }
        double makespan = n == 0 ? 0 : sorted;
        for (int i = 0; i < n; i++) {
            Access a = accesses.get(i);
            double dataReady = start + link * (i + 1) / n;
            for (StateKey k : a.reads()) {
                Double t = ready.get(k);
                if (t != null) {
                    dataReady = Math.max(dataReady, t);
                }
            }
            double workerFree = bounded ? free.poll() : 0;
            double end = Math.max(dataReady, workerFree) + costUs[i] + overheadUs;
            if (bounded) {
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
        return makespan + (bounded ? workUs * charge.collect() / workers : 0);
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
