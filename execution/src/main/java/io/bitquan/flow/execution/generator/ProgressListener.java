package io.bitquan.flow.execution.generator;

/** Told after each generated block; the CLI draws a progress bar with it. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> {};

    void progress(long done, long total);
}
