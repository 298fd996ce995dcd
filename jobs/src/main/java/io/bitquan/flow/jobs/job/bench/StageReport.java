package io.bitquan.flow.jobs.job.bench;

import java.util.List;

/**
 * Where a running job's time goes per stage, as the bench prints it: the stage table (busy,
 * back-pressured and idle share of each stage's subtask time, the busiest subtask) and one line on
 * checkpoints. Two sources give the same rows: {@link ReportedStages} (in-process metric reporter,
 * the default) and {@link StageLoad} (the REST API, {@code -Dbitquan.bench.stages=rest}).
 */
public interface StageReport {
    String HEADER = "| stage (Flink task) | parallelism | busy % | back-pressured % | idle % | busiest subtask busy % |";
    String RULE = "|---|---|---|---|---|---|";

    /** Called about once a second while the job runs (a source that needs no polling ignores it). */
    void sample();

    /** The table rows with {@link #HEADER} and {@link #RULE} first; empty when nothing was seen. */
    List<String> table();

    /** "checkpoints: N completed, M failed; end-to-end duration avg A ms, max X ms[...]". */
    String checkpointLine();
}
