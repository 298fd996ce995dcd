package io.bitquan.flow.execution.bench;

import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.dag.AccessDag;
import io.bitquan.flow.execution.dag.DagRun;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateView;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The predicted schedule's parts that the work/span model counts as what they are instead of
 * fitting them (round 18), each measured on the calling thread with the real {@code dag} code,
 * beside the sequential engine in the same loop (so every part is read as a share of the
 * sequential block measured in the same minute), the way {@code docs/probes/LinkShards.java} does:
 * <ul>
 *   <li>{@code predict}: the prediction pass over the whole block with the base reads (what
 *       {@code PredictedRun}'s workers share in chunks);</li>
 *   <li>per linker count L: {@code count} (the shard counts the predicting workers add per
 *       chunk; 0 at one linker), {@code alloc} (the graph's arrays, built by one worker at the
 *       barrier), {@code link span} (the largest single shard's link: the link's span when L
 *       workers link at once), {@code link sum} (all shards one after another: the link's CPU),
 *       {@code sort} (the writable keys joined and sorted by the last linker);</li>
 *   <li>{@code collect}: a 1-worker run's {@link DagRun#collect} (the write objects made, the
 *       written logs checked, the block finished; at P workers the write objects are made by
 *       every worker that finds the block finished).</li>
 * </ul>
 * The linker counts, the graph's allocation, the shard link and the sort are package-private in
 * {@code dag} (another helper's package this round, not to be edited): they are reached here by
 * reflection, in this one class. A public measuring entry point in {@code dag} (say
 * {@code AccessDag.linkParts(predictions, linkers)}) would replace it. If the reflection fails
 * (a renamed member), {@link #measure} returns null and the model falls back to the fit alone.
 */
final class ScheduleParts {
    /** Linker counts measured: what {@link #linkersAt} gives 2..32 workers. */
    static final int[] LINKERS = {1, 2, 4, 8, 16};

    /** One linker count's parts, medians in ms. */
    record Link(double countMs, double allocMs, double spanMs, double sumMs, double sortMs) {}

    /** Medians in ms; {@code links} by linker count. */
    record Result(double sequentialMs, double predictMs, double collectMs, Map<Integer, Link> links) {}

    private ScheduleParts() {
    }

    /**
     * The linkers the engine uses at {@code workers} workers on a block of {@code txs}
     * transactions: a copy of {@code PredictedRun.linkers}' default (package-private there): one
     * below 4 workers or below 2,048 transactions, else half the workers, at most 32.
     */
    static int linkersAt(int workers, int txs) {
        if (workers < 4 || txs < 2048) {
            return 1;
        }
        return Math.min(workers / 2, 32);
    }

    /** Null when the block has no complete prediction (it runs optimistically) or the dag internals are out of reach. */
    static Result measure(BlockContext block, List<PreparedTx> txs, StateView base, TransactionVm vm, int warmup, int reps) {
        if (AccessDag.build(txs) == null) {
            return null;
        }
        Internals dag;
        try {
            dag = new Internals();
        } catch (ReflectiveOperationException e) {
            return null;
        }
        int n = txs.size();
        double[] sequential = new double[reps];
        double[] predict = new double[reps];
        double[] collect = new double[reps];
        double[][][] link = new double[LINKERS.length][5][reps];
        try (WorkerPool one = new WorkerPool(1); SequentialEngine engine = new SequentialEngine(vm)) {
            for (int i = -warmup; i < reps; i++) {
                long t0 = System.nanoTime();
                engine.execute(block, txs, base);
                long t1 = System.nanoTime();
                Object predictions = dag.predict(txs, base);
                long t2 = System.nanoTime();
                DagRun run = new DagRun(AccessDag.predict(txs, one, 1), block, txs, base, vm, 1);
                one.run(1, run::work);
                long t3 = System.nanoTime();
                run.collect(one, 1);
                long t4 = System.nanoTime();
                if (i >= 0) {
                    sequential[i] = (t1 - t0) / 1e6;
                    predict[i] = (t2 - t1) / 1e6;
                    collect[i] = (t4 - t3) / 1e6;
                }
                for (int l = 0; l < LINKERS.length; l++) {
                    double[] parts = dag.link(predictions, LINKERS[l], n);
                    for (int k = 0; i >= 0 && k < parts.length; k++) {
                        link[l][k][i] = parts[k];
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            return null;
        }
        Map<Integer, Link> links = new LinkedHashMap<>();
        for (int l = 0; l < LINKERS.length; l++) {
            double[][] p = link[l];
            links.put(LINKERS[l], new Link(EngineBench.median(p[0]), EngineBench.median(p[1]), EngineBench.median(p[2]),
                    EngineBench.median(p[3]), EngineBench.median(p[4])));
        }
        return new Result(EngineBench.median(sequential), EngineBench.median(predict), EngineBench.median(collect), links);
    }

    /** The package-private {@code dag} members the parts are timed through (see the class comment). */
    private static final class Internals {
        private static final String DAG = "io.bitquan.flow.execution.dag.";
        final Class<?> predictionArray;
        final Method predict;
        final Constructor<?> shards;
        final Method one;
        final Method countAll;
        final Method of;
        final Method link;
        final Method compactWritable;
        final Field writable;
        final Field keys;
        final Method sort;

        Internals() throws ReflectiveOperationException {
            predictionArray = Class.forName(DAG + "AccessDag$Prediction").arrayType();
            Class<?> shardsClass = Class.forName(DAG + "Shards");
            Class<?> keyIndex = Class.forName(DAG + "KeyIndex");
            predict = open(AccessDag.class.getDeclaredMethod("predict", List.class, predictionArray, int.class, int.class, StateView.class));
            shards = open(shardsClass.getDeclaredConstructor(int.class, int.class, int.class));
            one = open(shardsClass.getDeclaredMethod("one"));
            countAll = open(shardsClass.getDeclaredMethod("countAll", predictionArray));
            of = open(AccessDag.class.getDeclaredMethod("of", predictionArray, shardsClass));
            link = open(AccessDag.class.getDeclaredMethod("link", int.class, int.class));
            compactWritable = open(AccessDag.class.getDeclaredMethod("compactWritable"));
            writable = open(AccessDag.class.getDeclaredField("writable"));
            keys = open(AccessDag.class.getDeclaredField("keys"));
            sort = open(Class.forName(DAG + "IdOrder").getDeclaredMethod("sort", int[].class, int.class, keyIndex));
        }

        private static <T extends java.lang.reflect.AccessibleObject> T open(T member) {
            member.setAccessible(true);
            return member;
        }

        /** The block's predictions with the base reads, as {@code PredictedRun}'s workers make them. */
        Object predict(List<PreparedTx> txs, StateView base) throws ReflectiveOperationException {
            Object predictions = Array.newInstance(predictionArray.getComponentType(), txs.size());
            if (!(Boolean) call(predict, null, txs, predictions, 0, txs.size(), base)) {
                throw new ReflectiveOperationException("block not predicted");
            }
            return predictions;
        }

        /** A fresh graph over {@code predictions} linked by {@code linkers} shards in turn: {count, alloc, span, sum, sort} in ms. */
        double[] link(Object predictions, int linkers, int n) throws ReflectiveOperationException {
            long c0 = System.nanoTime();
            Object s = linkers == 1 ? call(one, null) : shards.newInstance(linkers, n, 1);
            call(countAll, s, predictions);
            long c1 = System.nanoTime();
            Object graph = call(of, null, predictions, s);
            long c2 = System.nanoTime();
            long max = 0;
            for (int shard = 0; shard < linkers; shard++) {
                long a = System.nanoTime();
                call(link, graph, shard, n);
                max = Math.max(max, System.nanoTime() - a);
            }
            long c3 = System.nanoTime();
            int count = (Integer) call(compactWritable, graph);
            call(sort, null, writable.get(graph), count, keys.get(graph));
            long c4 = System.nanoTime();
            return new double[] {(c1 - c0) / 1e6, (c2 - c1) / 1e6, max / 1e6, (c3 - c2) / 1e6, (c4 - c3) / 1e6};
        }

        private static Object call(Method m, Object target, Object... args) throws ReflectiveOperationException {
            try {
                return m.invoke(target, args);
            } catch (InvocationTargetException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw e;
            }
        }
    }
}
