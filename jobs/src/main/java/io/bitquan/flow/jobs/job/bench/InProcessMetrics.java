package io.bitquan.flow.jobs.job.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;
import org.apache.flink.metrics.reporter.Scheduled;

/**
 * The bench's view of a local job's task and checkpoint metrics, handed over in-process by a Flink
 * {@link MetricReporter} (MEASUREMENT only; nothing here feeds a result).
 *
 * <p>Why not the REST API: polling {@code GET /jobs/<id>} and every vertex each second makes the
 * JobManager ask the TaskManager for a dump of all its metrics over RPC (Java serialization, with
 * the REST metric fetcher at 1 s), serve JSON, and the JIT compile all of that, inside the CPU the
 * bench attributes to the job. A local MiniCluster runs in the bench's JVM, so a reporter there can
 * keep references to the few gauges the stage table needs and the bench reads them directly: no
 * RPC, no JSON, no fetcher. Flink calls {@link #report()} once per reporter interval (1 s) on its
 * reporter thread; only the checkpoint gauges are read there (to see each completed checkpoint's
 * duration), the task gauges only when the bench prints its table and when a task ends.
 *
 * <p>Reporters are created by Flink from the class name in the configuration, so the bench finds
 * a job's numbers through a JVM-wide registry keyed by job id ({@link #forJob}); {@link #release}
 * drops them.
 */
public final class InProcessMetrics implements MetricReporter, Scheduled {
    /** The reporter's name in {@code metrics.reporter.<name>.*}. */
    public static final String NAME = "bitquan_bench";

    // Flink's metric names (org.apache.flink.runtime.metrics.MetricNames and DefaultCheckpointStatsTracker)
    static final String BUSY = "accumulateBusyTimeMs";
    static final String IDLE = "accumulateIdleTimeMs";
    static final String BACK_PRESSURED = "accumulateBackPressuredTimeMs";
    static final String COMPLETED = "numberOfCompletedCheckpoints";
    static final String FAILED = "numberOfFailedCheckpoints";
    static final String LAST_DURATION = "lastCheckpointDuration";
    static final String LAST_ID = "lastCompletedCheckpointId";

    // the variables of a metric's group (org.apache.flink.runtime.metrics.scope.ScopeFormat): a task's vertex id is "<task_id>"
    private static final String TASK_VERTEX = "<task_id>";

    private static final Map<String, JobMetrics> JOBS = new ConcurrentHashMap<>();

    /** Adds this reporter to a local cluster's configuration (a 1 s report interval for the checkpoint gauges). */
    public static void configure(Configuration conf) {
        String prefix = "metrics.reporter." + NAME + ".";
        conf.setString(prefix + "factory.class", Factory.class.getName());
        conf.setString(prefix + "interval", "1 s");
    }

    /** The numbers of a job seen by a reporter in this JVM (created on first use, so the bench may ask first). */
    public static JobMetrics forJob(String jobId) {
        return JOBS.computeIfAbsent(jobId, id -> new JobMetrics());
    }

    /** Forgets a job's numbers (the bench's run is over). */
    public static void release(String jobId) {
        JOBS.remove(jobId);
    }

    @Override
    public void open(MetricConfig config) {
    }

    @Override
    public void close() {
        // the cluster is shutting down with its job: read the checkpoint gauges one last time
        report();
    }

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (!(metric instanceof Gauge<?> gauge)) {
            return;
        }
        Map<String, String> vars = group.getAllVariables();
        String job = vars.get("<job_id>");
        if (job == null) {
            return;
        }
        String vertex = vars.get(TASK_VERTEX);
        if (vertex != null && vars.get("<operator_id>") == null && (name.equals(BUSY) || name.equals(IDLE) || name.equals(BACK_PRESSURED))) {
            forJob(job).task(vertex, vars.get("<task_name>"), Integer.parseInt(vars.get("<subtask_index>")))
                    .put(name, gauge);
        } else if (vertex == null && (name.equals(COMPLETED) || name.equals(FAILED) || name.equals(LAST_DURATION) || name.equals(LAST_ID))) {
            forJob(job).checkpointGauges.put(name, gauge);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        Map<String, String> vars = group.getAllVariables();
        String job = vars.get("<job_id>");
        String vertex = vars.get(TASK_VERTEX);
        if (job == null) {
            return;
        }
        JobMetrics metrics = JOBS.get(job);
        if (metrics == null) {
            return;
        }
        if (vertex != null && vars.get("<operator_id>") == null) {
            // the task ended: keep its last values (its accumulated busy time would otherwise keep
            // growing with the clock, as Flink computes it as running time minus idle and back-pressure)
            Subtask subtask = metrics.subtask(vertex, Integer.parseInt(vars.get("<subtask_index>")));
            if (subtask != null) {
                subtask.freeze(name);
            }
        } else if (vertex == null) {
            metrics.sampleCheckpoints(); // the job is leaving the JobManager: its last checkpoint counts
            metrics.freeze(name);
        }
    }

    @Override
    public void report() {
        JOBS.values().forEach(JobMetrics::sampleCheckpoints);
    }

    /** Flink instantiates reporters through a factory named in the configuration. */
    public static final class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new InProcessMetrics();
        }
    }

    /** One subtask's accumulated busy / idle / back-pressured gauges, frozen to their last value when the task ends. */
    static final class Subtask {
        private final Map<String, Gauge<?>> gauges = new ConcurrentHashMap<>();
        private final Map<String, Double> frozen = new ConcurrentHashMap<>();

        void put(String name, Gauge<?> gauge) {
            gauges.put(name, gauge);
        }

        void freeze(String name) {
            double v = read(name);
            if (!Double.isNaN(v)) {
                frozen.putIfAbsent(name, v);
            }
        }

        /** Milliseconds, NaN when unknown (busy time is NaN while Flink has it disabled or before the task starts). */
        double read(String name) {
            Double f = frozen.get(name);
            if (f != null) {
                return f;
            }
            Gauge<?> g = gauges.get(name);
            Object v = g == null ? null : g.getValue();
            return v instanceof Number n ? n.doubleValue() : Double.NaN;
        }
    }

    /** One stage (Flink task = chain of operators): its name and its subtasks by index. */
    static final class Vertex {
        final String name;
        final Map<Integer, Subtask> subtasks = new ConcurrentHashMap<>();

        Vertex(String name) {
            this.name = name;
        }
    }

    /** A job's stages (in the order their first subtask registered: deployment order, sources first) and checkpoints. */
    public static final class JobMetrics {
        private final Map<String, Vertex> vertices = new LinkedHashMap<>();
        private final Map<String, Gauge<?>> checkpointGauges = new ConcurrentHashMap<>();
        private final Map<String, Long> frozenCounts = new ConcurrentHashMap<>();
        private long lastSeenId = -1;
        private long durationsSeen;
        private long durationSum;
        private long durationMax = -1;

        synchronized Subtask task(String vertexId, String name, int index) {
            return vertices.computeIfAbsent(vertexId, id -> new Vertex(name)).subtasks.computeIfAbsent(index, i -> new Subtask());
        }

        synchronized Subtask subtask(String vertexId, int index) {
            Vertex v = vertices.get(vertexId);
            return v == null ? null : v.subtasks.get(index);
        }

        /** A snapshot of the stages, in order. */
        public synchronized java.util.List<Vertex> stages() {
            return new java.util.ArrayList<>(vertices.values());
        }

        /** Records the duration of a newly completed checkpoint (sampled once a second, so two completing within one report count once). */
        synchronized void sampleCheckpoints() {
            long id = longValue(LAST_ID);
            long duration = longValue(LAST_DURATION);
            if (id >= 0 && id != lastSeenId && duration >= 0) {
                lastSeenId = id;
                durationsSeen++;
                durationSum += duration;
                durationMax = Math.max(durationMax, duration);
            }
        }

        public long completed() {
            return longValue(COMPLETED);
        }

        public long failed() {
            return longValue(FAILED);
        }

        /** {durations sampled, average ms, max ms}; average and max are -1 when none was seen. */
        public synchronized long[] durations() {
            return new long[] {durationsSeen, durationsSeen == 0 ? -1 : Math.round((double) durationSum / durationsSeen), durationMax};
        }

        void freeze(String name) {
            long v = longValue(name);
            if (v >= 0) {
                frozenCounts.putIfAbsent(name, v);
            }
        }

        private long longValue(String name) {
            Long f = frozenCounts.get(name);
            if (f != null) {
                return f;
            }
            Gauge<?> g = checkpointGauges.get(name);
            Object v = g == null ? null : g.getValue();
            return v instanceof Number n ? n.longValue() : -1;
        }
    }
}
