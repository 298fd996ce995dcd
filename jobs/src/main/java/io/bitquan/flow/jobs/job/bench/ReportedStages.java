package io.bitquan.flow.jobs.job.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The stage table from {@link InProcessMetrics} (the bench's default since round 8): the same rows
 * as the REST poll ({@link StageLoad}) without REST, JSON, RPC or the metric fetcher. A stage's
 * subtask time is the sum of its subtasks' busy + back-pressured + idle time: Flink computes busy
 * time as running time minus the other two, so the sum is each subtask's running time (the REST
 * table divided by the vertex's duration times its parallelism instead: equal while all subtasks
 * run together, which is the case for these jobs).
 */
public final class ReportedStages implements StageReport {
    private final InProcessMetrics.JobMetrics metrics;

    public ReportedStages(String jobId) {
        this.metrics = InProcessMetrics.forJob(jobId);
    }

    @Override
    public void sample() {
        // nothing to poll: the reporter holds the gauges, read when the table is printed
    }

    @Override
    public List<String> table() {
        List<String> rows = new ArrayList<>();
        List<InProcessMetrics.Vertex> stages = metrics.stages();
        if (stages.isEmpty()) {
            return rows;
        }
        rows.add(HEADER);
        rows.add(RULE);
        for (InProcessMetrics.Vertex v : stages) {
            double busy = 0;
            double back = 0;
            double idle = 0;
            double busiest = -1;
            boolean known = true;
            for (InProcessMetrics.Subtask s : v.subtasks.values()) {
                double b = s.read(InProcessMetrics.BUSY);
                double p = s.read(InProcessMetrics.BACK_PRESSURED);
                double i = s.read(InProcessMetrics.IDLE);
                if (Double.isNaN(b) || Double.isNaN(p) || Double.isNaN(i)) {
                    known = false;
                    continue;
                }
                busy += b;
                back += p;
                idle += i;
                double running = b + p + i;
                if (running > 0) {
                    busiest = Math.max(busiest, 100 * b / running);
                }
            }
            double total = busy + back + idle;
            rows.add(String.format("| %s | %d | %s | %s | %s | %s |", StageLoad.shortName(v.name), v.subtasks.size(),
                    share(known, busy, total), share(known, back, total), share(known, idle, total),
                    busiest < 0 ? "?" : String.format("%.0f", busiest)));
        }
        return rows;
    }

    private static String share(boolean known, double part, double total) {
        return !known || total <= 0 ? "?" : String.format("%.0f", 100 * part / total);
    }

    @Override
    public String checkpointLine() {
        long[] d = metrics.durations();
        // the reporter samples once a second: a checkpoint completing within the same second as the
        // one before it is not in the average (the counts are Flink's own, exact)
        return String.format("checkpoints: %d completed, %d failed; end-to-end duration avg %s ms, max %s ms (%d sampled)",
                metrics.completed(), metrics.failed(), d[1] < 0 ? "?" : d[1], d[2] < 0 ? "?" : d[2], d[0]);
    }
}
